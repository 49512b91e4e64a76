"""Table I/O in one place: CSV or Parquet by extension, read as strings, written whole or streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd


class TableError(ValueError):
    """The file cannot be read as a table at all (missing, empty, no header)."""


def read_table(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """Read CSV or Parquet as strings; return the rows and the lines that could not be split.

    Every malformed line comes back as a dict with its raw text and a ``_reason``, so the
    caller can quarantine it: nothing read is silently dropped.
    """
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return frame.astype(object).where(frame.notna(), "").astype(str).astype(object), []
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise TableError(f"{path}: empty file (no header line)")
    malformed: list[dict] = []

    def _bad_line(fields: list[str]) -> None:
        malformed.append(
            {"_raw": ",".join(fields), "_reason": f"row: expected {len(header)} fields (got {len(fields)})"}
        )

    # Undecodable bytes become U+FFFD and the row is quarantined as an encoding error.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace",
                        engine="python", on_bad_lines=_bad_line)
    # The parser pads a line with too few fields with NaN (a real blank is ""): set it aside too.
    short = frame.isna().any(axis=1)
    for row in frame[short].to_dict("records"):
        fields = [v for v in row.values() if isinstance(v, str)]
        malformed.append({**row, "_reason": f"row: expected {len(header)} fields (got {len(fields)})"})
    return frame[~short].reset_index(drop=True), malformed


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write a whole frame to CSV or Parquet (by extension), creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def stream_rows(path: Path, rows: Iterable[dict], columns: Sequence[str], *, batch: int = 50_000) -> int:
    """Write rows as they come (constant memory) to CSV or Parquet; return how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        return _stream_parquet(path, rows, columns, batch)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def _stream_parquet(path: Path, rows: Iterable[dict], columns: Sequence[str], batch: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    buffer: list[dict] = []
    written = 0
    try:
        for row in rows:
            buffer.append(row)
            if len(buffer) >= batch:
                table = pa.Table.from_pylist(buffer)
                writer = writer or pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
                written += len(buffer)
                buffer = []
        if buffer or writer is None:
            empty = pa.table({c: pa.array([], pa.string()) for c in columns})
            table = pa.Table.from_pylist(buffer) if buffer else empty
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            written += len(buffer)
    finally:
        if writer is not None:
            writer.close()
    return written

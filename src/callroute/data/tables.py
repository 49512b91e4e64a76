"""Table I/O in one place: CSV or Parquet by extension, read as strings, written whole or streamed."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd


class TableError(ValueError):
    """The file cannot be read as a table at all (missing, empty, no header)."""


@dataclass
class TableChunk:
    """Rows of one chunk.

    ``frame``: the well-formed ones (all strings, indexed by data-row number from 1); ``bad``: the ones
    set aside, each a dict with ``_row``, ``_reason`` and the raw fields.
    """

    frame: pd.DataFrame
    bad: list[dict]


@dataclass
class TableInfo:
    """What the reader noticed about the file as a whole (shown with the ingest report)."""

    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_SURROGATE = re.compile("[\udc80-\udcff]")
_SEP_LINE = re.compile(r"^sep=(.)$", re.IGNORECASE)


def iter_table(path: Path, *, chunk_rows: int = 100_000, info: TableInfo | None = None) -> Iterator[TableChunk]:
    """Read CSV or Parquet in chunks of at most ``chunk_rows`` data rows, as strings.

    Every data row comes out once, in file order, either in ``frame`` or in ``bad`` with its reason, so a
    caller that counts both counts every row of the file (blank lines are not rows). CSV: any field size
    (the csv module's limit is lifted), quoted newlines and quotes, CRLF, a UTF-8 BOM, an Excel ``sep=;``
    first line or a semicolon-separated header; bytes that are not UTF-8 are read as Windows-1252 when
    they can be (Excel's encoding; counted in ``info.notes``), otherwise the row is set aside; a row with
    a NUL byte or the wrong number of fields is set aside; a column named twice keeps its first
    occurrence, and a row whose copies disagree is set aside.
    """
    path = Path(path)
    info = info if info is not None else TableInfo()
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.suffix == ".parquet":
        yield from _parquet_chunks(path, chunk_rows, info)
        return
    yield from _csv_chunks(path, chunk_rows, info)


def read_table(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """The whole table at once: well-formed rows (index 0..n-1) and the rows set aside with reasons."""
    frames, bad = [], []
    info = TableInfo()
    for chunk in iter_table(path, info=info):
        frames.append(chunk.frame)
        bad.extend(chunk.bad)
    frame = pd.concat(frames) if frames else pd.DataFrame(columns=info.columns, dtype=object)
    return frame.reset_index(drop=True), bad


def _csv_chunks(path: Path, chunk_rows: int, info: TableInfo) -> Iterator[TableChunk]:
    csv.field_size_limit(sys.maxsize)  # a 300,000-character narrative is a row like any other
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        first = text.readline()
        if not first.strip():
            raise TableError(f"{path}: empty file (no header line)")
        first = first.removeprefix("\ufeff")
        delimiter = ","
        sep = _SEP_LINE.match(first.strip())
        if sep:  # Excel's "sep=;" line names the delimiter; the header follows
            delimiter = sep.group(1)
            first = text.readline()
            info.notes.append(f"delimiter {delimiter!r} from the file's sep= line")
        elif "," not in first and ";" in first:
            delimiter = ";"
            info.notes.append("semicolon-separated (no comma in the header)")
        header = next(csv.reader([first], delimiter=delimiter), [])
        header = [name.strip() for name in header]
        if not any(header):
            raise TableError(f"{path}: empty file (no header line)")
        keep: dict[str, int] = {}
        copies: list[tuple[int, int]] = []
        for i, name in enumerate(header):
            if name in keep:
                copies.append((keep[name], i))
            else:
                keep[name] = i
        if copies:
            names = sorted({header[i] for _, i in copies})
            info.notes.append(f"column(s) named twice: {', '.join(names)} (the first is used; rows whose "
                              "copies differ are set aside)")
        info.columns = list(keep)
        positions = list(keep.values())
        n = len(header)
        reader = csv.reader(text, delimiter=delimiter)
        rows: list[list[str]] = []
        numbers: list[int] = []
        bad: list[dict] = []
        row_no = blank = windows = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as error:  # not expected with strict=False; kept so no row can vanish
                row_no += 1
                bad.append({"_row": row_no, "_reason": f"row: unreadable CSV ({error})"})
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                blank += 1
                continue
            row_no += 1
            reason = None
            if len(record) != n:
                reason = f"row: expected {n} fields (got {len(record)})"
            else:
                joined = "".join(record)
                if not joined.isascii():
                    if _SURROGATE.search(joined):
                        record, reason = _windows_1252(record)
                        windows += reason is None
                    if reason is None and "\ufffd" in "".join(record):
                        reason = "encoding: replacement character U+FFFD in the row"
                if reason is None and "\x00" in joined:
                    reason = "row: contains a NUL byte"
                if reason is None:
                    for a, b in copies:
                        if record[a] != record[b] and record[b].strip():
                            reason = f"{header[a]}: the column appears twice with different values"
                            break
            if reason is not None:
                raw_fields = {header[i] if i < n else f"_extra{i - n + 1}": _printable(v) for i, v in enumerate(record)}
                bad.append({"_row": row_no, "_reason": reason, **raw_fields})
            else:
                rows.append([record[i] for i in positions] if copies else record)
                numbers.append(row_no)
            if len(rows) + len(bad) >= chunk_rows:
                yield TableChunk(_frame(rows, numbers, info.columns), bad)
                rows, numbers, bad = [], [], []
        yield TableChunk(_frame(rows, numbers, info.columns), bad)
        if blank:
            info.notes.append(f"{blank} blank line(s) skipped (not rows)")
        if windows:
            info.notes.append(f"{windows} row(s) not UTF-8, read as Windows-1252")


def _frame(rows: list[list[str]], numbers: list[int], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, index=pd.Index(numbers, name="_row"), dtype=object)


def _windows_1252(record: list[str]) -> tuple[list[str], str | None]:
    """Re-read the fields that were not UTF-8 as Windows-1252; a reason when even that fails."""
    out = []
    for value in record:
        if _SURROGATE.search(value):
            try:
                value = value.encode("utf-8", "surrogateescape").decode("cp1252")
            except UnicodeDecodeError:
                return record, "encoding: bytes that are neither UTF-8 nor Windows-1252"
        out.append(value)
    return out, None


def _printable(value: str) -> str:
    r"""A raw field as it can be written to the quarantine file (undecodable bytes shown as \xNN)."""
    if _SURROGATE.search(value):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return value.replace("\x00", "\\x00")


def _parquet_chunks(path: Path, chunk_rows: int, info: TableInfo) -> Iterator[TableChunk]:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    info.columns = list(source.schema_arrow.names)
    start = 0
    for batch in source.iter_batches(batch_size=chunk_rows):
        frame = batch.to_pandas()
        frame = frame.astype(object).where(frame.notna(), "").astype(str).astype(object)
        frame.index = pd.RangeIndex(start + 1, start + 1 + len(frame), name="_row")
        start += len(frame)
        replaced = np.array(["\ufffd" in "".join(row) for row in frame.itertuples(index=False)], dtype=bool)
        bad = [{"_row": number, "_reason": "encoding: replacement character U+FFFD in the row", **row}
               for number, row in zip(frame.index[replaced], frame[replaced].to_dict("records"), strict=True)]
        yield TableChunk(frame[~replaced], bad)
    if start == 0:
        yield TableChunk(pd.DataFrame(columns=info.columns, dtype=object), [])


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

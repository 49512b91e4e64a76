"""Ingestion: read a CAD export, validate it row by row, quarantine bad rows, redact PII.

Every row read ends up either accepted or in the quarantine file with its reason,
so ``read == accepted + quarantined`` always holds. A missing required column fails
at once, naming it.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from callroute.config import LabelConfig
from callroute.labels import parse_flag
from callroute.redact import redact
from callroute.schema import CALL_FIELDS, CallIn

#: Columns kept beside the features for evaluation only; never model inputs.
AUDIT_COLUMNS = ("responder", "true_risk")


class IngestError(ValueError):
    """The file cannot be ingested at all (unreadable, or a required column is missing)."""


@dataclass
class IngestReport:
    """What happened to every row of one file."""

    source: str
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    reasons: Counter = field(default_factory=Counter)
    quarantine_path: Path | None = None

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [f"{self.source}: read {self.read}, accepted {self.accepted}, quarantined {self.quarantined}"]
        lines += [f"  {count:>7}  {reason}" for reason, count in self.reasons.most_common()]
        if self.quarantine_path is not None:
            lines.append(f"  quarantined rows with reasons: {self.quarantine_path}")
        return "\n".join(lines)


def read_mapping(path: Path | None) -> dict[str, str]:
    """Column renames ``agency column -> callroute column`` from a TOML ``[columns]`` table."""
    if path is None:
        return {}
    return dict(tomllib.loads(Path(path).read_text("utf-8")).get("columns", {}))


def read_table(path: Path) -> pd.DataFrame:
    """Read CSV or Parquet as strings, keeping empty cells as empty strings."""
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype("string").fillna("").astype(object)
    # Undecodable bytes become U+FFFD and the row is quarantined as an encoding error.
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace")


def load_calls(
    path: Path,
    *,
    label: LabelConfig,
    mapping: dict[str, str] | None = None,
    quarantine_dir: Path | None = None,
    require_time: bool = True,
) -> tuple[pd.DataFrame, IngestReport]:
    """Return the accepted calls (features, label, audit columns) and the ingest report."""
    raw = read_table(path).rename(columns=mapping or {})
    required = ["narrative", *label.any_of] + (["received_at"] if require_time else [])
    missing = [column for column in required if column not in raw.columns]
    if missing:
        raise IngestError(f"{path}: missing required column(s): {', '.join(missing)}")

    report = IngestReport(source=str(path), read=len(raw))
    present_fields = [c for c in CALL_FIELDS if c in raw.columns]
    accepted: list[dict] = []
    bad_rows: list[dict] = []
    seen_ids: set[str] = set()
    for row in raw.to_dict("records"):
        reason, record = _check_row(row, present_fields, label, seen_ids, require_time)
        if reason is None:
            accepted.append(record)
        else:
            report.reasons[reason.split(" (")[0]] += 1  # count by kind, without the row's own value
            bad_rows.append({**row, "_reason": reason})

    report.accepted, report.quarantined = len(accepted), len(bad_rows)
    if bad_rows and quarantine_dir is not None:
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        report.quarantine_path = quarantine_dir / f"{Path(path).stem}.quarantine.csv"
        pd.DataFrame(bad_rows).to_csv(report.quarantine_path, index=False)
    frame = pd.DataFrame(accepted, columns=[*CALL_FIELDS, label.name, *AUDIT_COLUMNS])
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=False)
    return frame, report


def validate_call(row: dict, fields: list[str], seen_ids: set[str]) -> tuple[str | None, CallIn | None]:
    """Validate the call fields of one raw row: ``(reason, None)`` if bad, else ``(None, call)``."""
    if any("\ufffd" in str(value) for value in row.values()):
        return "encoding: undecodable bytes in the row", None
    values = {name: (row[name] if row[name] != "" else None) for name in fields}
    try:
        call = CallIn.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "row"
        return f"{where}: {first['msg']}", None
    if call.call_id is not None:
        if call.call_id in seen_ids:
            return f"call_id: duplicate of an earlier row ({call.call_id})", None
        seen_ids.add(call.call_id)
    return None, call


def _check_row(
    row: dict, fields: list[str], label: LabelConfig, seen_ids: set[str], require_time: bool
) -> tuple[str | None, dict]:
    reason, call = validate_call(row, fields, seen_ids)
    if call is None:
        return reason, {}
    if require_time and call.received_at is None:
        return "received_at: missing", {}
    outcomes = {}
    for name in label.any_of:
        try:
            outcomes[name] = parse_flag(row[name])
        except ValueError as error:
            return f"{name}: {error}", {}
    record = call.model_dump()
    record["narrative"] = redact(record["narrative"])
    # Local wall-clock time is what hour-of-day features mean; an offset, if given, is dropped.
    record["received_at"] = call.received_at.replace(tzinfo=None) if call.received_at else None
    record[label.name] = max(outcomes.values())  # the same rule as labels.apply_label, per row
    for column in AUDIT_COLUMNS:
        record[column] = row.get(column) or None
    return None, record

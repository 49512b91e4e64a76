"""Ingestion: read a CAD export, map it onto the call schema, validate each row, quarantine bad rows.

Every row read ends up either accepted or in the quarantine file with its reason,
so ``read == accepted + quarantined`` always holds; a line the CSV parser cannot
split is a quarantined row too. A missing required column fails at once, naming
it. Narratives are redacted before anything is stored. The column mapping (TOML,
see :mod:`callroute.data.mapping`) renames the agency's columns, fixes value spellings,
derives outcome flags and may define the label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from callroute.config import LabelConfig
from callroute.data.labels import describe, parse_flag
from callroute.data.mapping import Mapping
from callroute.data.tables import TableError, read_table, write_table
from callroute.language.redact import redact
from callroute.schema import CALL_FIELDS, CallIn

#: Columns kept beside the features for evaluation only; never model inputs.
AUDIT_COLUMNS = ("responder", "true_risk", "register", "wording", "cues")


class IngestError(TableError):
    """The file cannot be ingested at all (unreadable, or a required column is missing)."""


@dataclass
class IngestReport:
    """What happened to every row of one file."""

    source: str
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    calls: int = 0  # accepted calls (fewer than accepted rows when a mapping folds rows into calls)
    reasons: Counter = field(default_factory=Counter)
    quarantine_path: Path | None = None
    label: str = ""

    def add_bad(self, reason: str) -> None:
        """Count a quarantined row by the kind of its reason (without the row's own value)."""
        self.reasons[reason.split(" (")[0]] += 1

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [f"{self.source}: read {self.read}, accepted {self.accepted}, quarantined {self.quarantined}"]
        if self.calls and self.calls != self.accepted:
            lines[0] += f" ({self.calls} calls after folding rows of the same call)"
        lines += [f"  {count:>7}  {reason}" for reason, count in self.reasons.most_common()]
        if self.label:
            lines.append(f"  label: {self.label}")
        if self.quarantine_path is not None:
            lines.append(f"  quarantined rows with reasons: {self.quarantine_path}")
        return "\n".join(lines)


def write_quarantine(rows: list[dict], directory: Path | None, name: str) -> Path | None:
    """Write quarantined rows (each with its ``_reason``) to ``directory/name``; None when nothing to write."""
    if not rows or directory is None:
        return None
    return write_table(pd.DataFrame(rows), directory / name)


def validate_call(row: dict, fields: list[str], seen_ids: set[str] | None) -> tuple[str | None, CallIn | None]:
    """Validate the call fields of one raw row: ``(reason, None)`` if bad, else ``(None, call)``.

    ``seen_ids`` collects call ids to reject duplicates; None when duplicates are allowed
    (a mapping that folds several rows into one call).
    """
    if any("\ufffd" in str(value) for value in row.values()):
        return "encoding: undecodable bytes in the row", None
    values = {name: (row[name] if row[name] != "" else None) for name in fields}
    if not str(values.get("narrative") or "").strip():
        return "narrative: missing or empty", None
    try:
        call = CallIn.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "row"
        return f"{where}: {first['msg']}", None
    if seen_ids is not None and call.call_id is not None:
        if call.call_id in seen_ids:
            return f"call_id: duplicate of an earlier row ({call.call_id})", None
        seen_ids.add(call.call_id)
    return None, call


def load_calls(
    path: Path,
    *,
    label: LabelConfig,
    mapping: Mapping | None = None,
    quarantine_dir: Path | None = None,
    require_time: bool = True,
    require_label: bool = True,
) -> tuple[pd.DataFrame, IngestReport]:
    """Return the accepted calls (call fields, label, audit columns) and the ingest report.

    A mapping with a ``[label]`` table overrides ``label``; the report says which one was used.
    ``require_label=False`` accepts a file without the outcome columns (the label is then empty),
    for uses that need only the calls (the capacity simulator).
    """
    mapping = mapping or Mapping()
    label = mapping.label or label
    raw, malformed = read_table(path)
    raw = mapping.apply(raw)
    labelled = require_label or all(name in raw.columns for name in label.any_of)
    required = ["narrative", *(label.any_of if labelled else [])] + (["received_at"] if require_time else [])
    missing = [column for column in required if column not in raw.columns]
    if missing:
        raise IngestError(f"{path}: missing required column(s): {', '.join(missing)}")

    report = IngestReport(source=str(path), read=len(raw) + len(malformed), label=describe(label))
    present_fields = [c for c in CALL_FIELDS if c in raw.columns]
    accepted: list[dict] = []
    bad_rows: list[dict] = list(malformed)
    for row in malformed:
        report.add_bad(row["_reason"])
    seen_ids: set[str] | None = None if mapping.group_by else set()
    for row in raw.to_dict("records"):
        reason, record = _check_row(row, present_fields, label, seen_ids, require_time, labelled)
        if reason is None:
            accepted.append(record)
        else:
            report.add_bad(reason)
            bad_rows.append({**row, "_reason": reason})

    report.accepted, report.quarantined = len(accepted), len(bad_rows)
    report.quarantine_path = write_quarantine(bad_rows, quarantine_dir, f"{Path(path).stem}.quarantine.csv")
    frame = pd.DataFrame(accepted, columns=[*CALL_FIELDS, label.name, *AUDIT_COLUMNS])
    if mapping.group_by:
        frame = _fold(frame, label.name)
    report.calls = len(frame)
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=False)
    return frame, report


def _fold(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per call: the first row's fields, the label set if any row of the call has it."""
    if frame.empty:
        return frame
    grouped = frame.groupby("call_id", sort=False, dropna=False)
    folded = grouped.first()
    folded[label] = grouped[label].max()
    return folded.reset_index()[frame.columns]


def _check_row(
    row: dict, fields: list[str], label: LabelConfig, seen_ids: set[str] | None, require_time: bool,
    labelled: bool = True,
) -> tuple[str | None, dict]:
    reason, call = validate_call(row, fields, seen_ids)
    if call is None:
        return reason, {}
    if require_time and call.received_at is None:
        return "received_at: missing", {}
    if seen_ids is None and call.call_id is None:
        return "call_id: missing (rows are folded into calls by call id)", {}
    outcomes = {}
    for name in label.any_of if labelled else ():
        try:
            outcomes[name] = parse_flag(row[name])
        except ValueError as error:
            return f"{name}: {error}", {}
    record = call.model_dump()
    record["narrative"] = redact(record["narrative"])
    # Local wall-clock time is what hour-of-day features mean; an offset, if given, is dropped.
    record["received_at"] = call.received_at.replace(tzinfo=None) if call.received_at else None
    # escalated when any configured outcome flag is set; empty for a file without outcomes (require_label=False)
    record[label.name] = max(outcomes.values()) if outcomes else None
    for column in AUDIT_COLUMNS:
        record[column] = row.get(column) or None
    return None, record

"""Ingestion: read a CAD export, map it onto the call schema, validate each row, quarantine bad rows.

Every row read ends up either accepted or in the quarantine file with its reason,
so ``read == accepted + quarantined`` always holds; a line the CSV parser cannot
split is a quarantined row too. A missing required column fails at once, naming
it. Narratives are redacted before anything is stored. The column mapping (TOML,
see :mod:`callroute.data.mapping`) renames the agency's columns, fixes value spellings,
derives outcome flags and may define the label.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from callroute.config import LabelConfig
from callroute.data.labels import _FALSE, _TRUE, describe, parse_flag
from callroute.data.mapping import Mapping
from callroute.data.tables import TableError, TableInfo, iter_table, write_table
from callroute.language.redact import redact
from callroute.schema import CALL_FIELDS, CALLER_TYPES, MAX_NARRATIVE_CHARS, CallIn

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
    notes: list[str] = field(default_factory=list)  # what the reader noticed (encoding, delimiter, blank lines)

    def add_bad(self, reason: str) -> None:
        """Count a quarantined row by the kind of its reason (without the row's own value)."""
        self.reasons[reason.split(" (")[0]] += 1

    def as_dict(self) -> dict:
        """The report as plain data (``callroute data check --json``): counts, reasons, notes, files."""
        return {"source": self.source, "read": self.read, "accepted": self.accepted,
                "quarantined": self.quarantined, "calls": self.calls, "accounted": self.read == self.accepted +
                self.quarantined, "reasons": dict(self.reasons.most_common()), "notes": list(self.notes),
                "label": self.label, "quarantine_path": str(self.quarantine_path) if self.quarantine_path else None}

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [f"{self.source}: read {self.read}, accepted {self.accepted}, quarantined {self.quarantined}"]
        if self.calls and self.calls != self.accepted:
            lines[0] += f" ({self.calls} calls after folding rows of the same call)"
        lines += [f"  {count:>7}  {reason}" for reason, count in self.reasons.most_common()]
        lines += [f"  note: {note}" for note in self.notes]
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
        if first["type"] == "string_too_long":
            return f"{where}: longer than {first['ctx']['max_length']} characters", None
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
    keep: bool = True,
    chunk_rows: int = 100_000,
    vectorised: bool = True,
) -> tuple[pd.DataFrame, IngestReport]:
    """Return the accepted calls (call fields, label, audit columns) and the ingest report.

    The file is read and validated in chunks of ``chunk_rows`` rows: memory is bounded by the chunk
    plus what is kept. Checks run column-wise; a row that fails one is validated again on its own
    (the pydantic schema, :func:`validate_call`) for its exact reason, or accepted if the schema
    accepts it, so both paths accept the same rows with the same values (``vectorised=False`` runs
    every row through the schema; tests compare the two). ``keep=False`` counts and quarantines
    without keeping the calls (``callroute data check``).

    A mapping with a ``[label]`` table overrides ``label``; the report says which one was used.
    ``require_label=False`` accepts a file without the outcome columns (the label is then empty),
    for uses that need only the calls (the capacity simulator).
    """
    mapping = mapping or Mapping()
    label = mapping.label or label
    report = IngestReport(source=str(path), label=describe(label))
    info = TableInfo()
    kept: list[pd.DataFrame] = []
    bad_rows: list[dict] = []
    seen_ids: set[str] = set()
    folded_ids: set[str] = set()  # calls after folding, when the rows are not kept
    checked_columns = False
    labelled = True
    for chunk in iter_table(path, chunk_rows=chunk_rows, info=info):
        raw = mapping.apply(chunk.frame)
        if not checked_columns:
            labelled = require_label or all(name in raw.columns for name in label.any_of)
            required = ["narrative", *(label.any_of if labelled else [])] + (["received_at"] if require_time else [])
            missing = [column for column in required if column not in raw.columns]
            if missing:
                raise IngestError(f"{path}: missing required column(s): {', '.join(missing)}")
            checked_columns = True
        report.read += len(raw) + len(chunk.bad)
        for row in chunk.bad:
            report.add_bad(row["_reason"])
        bad_rows.extend(chunk.bad)
        accepted, bad = _validate_chunk(raw, label, labelled, require_time,
                                        None if mapping.group_by else seen_ids, vectorised)
        for row in bad:
            report.add_bad(row["_reason"])
        bad_rows.extend(bad)
        report.accepted += len(accepted)
        if mapping.group_by and not keep:
            folded_ids.update(accepted["call_id"].tolist())
        if keep:
            accepted["narrative"] = [redact(text) for text in accepted["narrative"]]
            kept.append(accepted)
    report.notes = info.notes
    report.quarantined = len(bad_rows)
    bad_rows.sort(key=lambda row: row.get("_row", 0))
    # The quarantine file has the input's format (Parquet in, Parquet out).
    suffix = ".parquet" if Path(path).suffix == ".parquet" else ".csv"
    report.quarantine_path = write_quarantine(bad_rows, quarantine_dir, f"{Path(path).stem}.quarantine{suffix}")
    columns = [*CALL_FIELDS, label.name, *AUDIT_COLUMNS]
    frame = pd.concat(kept) if kept else pd.DataFrame(columns=columns)
    # Rebuilt from plain lists: each column's type is inferred from its values, whichever path accepted them.
    frame = pd.DataFrame({column: _values(frame[column]) for column in columns})
    if mapping.group_by:
        frame = _fold(frame, label.name)
    report.calls = len(frame) if keep else len(folded_ids) if mapping.group_by else report.accepted
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=False)
    for column in ("priority", "location_prior_calls"):
        frame[column] = frame[column].astype("float64")
    return frame, report


def _values(column: pd.Series) -> list:
    """A column's values as a list, missing ones as None (NaN, NaT and None alike)."""
    return column.astype(object).where(column.notna(), None).tolist()


# Column-wise checks: a value passing them is one the schema accepts, with the same result.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?")
_HAS_ALNUM = re.compile(r"[^\W_]")
_PRIORITY = re.compile(r"[1-9]")
_PRIOR_CALLS = re.compile(r"\d{1,5}")
_CALLERS = frozenset(CALLER_TYPES)
# What the schema strips (Unicode White_Space, as pydantic-core's trim): not Python's str.strip(), which
# also strips the separators \x1c-\x1f.
_WHITE_SPACE = (" \t\n\x0b\x0c\r\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                + "\u2028\u2029\u202f\u205f\u3000")
_FLAGS = {**dict.fromkeys(_TRUE, 1), **dict.fromkeys(_FALSE, 0)}


def _validate_chunk(
    raw: pd.DataFrame, label: LabelConfig, labelled: bool, require_time: bool, seen_ids: set[str] | None,
    vectorised: bool,
) -> tuple[pd.DataFrame, list[dict]]:
    """Accepted rows of one chunk (typed, in file order, indexed by row number) and the rows set aside.

    ``seen_ids`` collects call ids across chunks to set duplicates aside; None when a mapping folds rows
    into calls by call id (then every row needs an id, and repeats are expected).
    """
    folding = seen_ids is None
    fields = [c for c in CALL_FIELDS if c in raw.columns]
    n = len(raw)
    ok = np.full(n, vectorised, dtype=bool)
    out: dict[str, list] = {}
    if vectorised and n:
        blank = [""] * n

        def column(name: str) -> list[str]:
            return raw[name].tolist() if name in raw else blank

        text = [v.strip(_WHITE_SPACE) for v in column("narrative")]
        ok &= [0 < len(v) <= MAX_NARRATIVE_CHARS and _HAS_ALNUM.search(v) is not None for v in text]
        out["narrative"] = text
        for name in ("call_id", "call_type", "district"):
            value = [v.strip(_WHITE_SPACE) for v in column(name)]
            ok &= [len(v) <= 120 for v in value]
            if name == "call_id" and folding:
                ok &= [v != "" for v in value]  # the schema path gives the reason ("call_id: missing ...")
            out[name] = [(v if name == "call_id" else v.upper()) or None for v in value]
        when = [v.strip(_WHITE_SPACE) for v in column("received_at")]
        iso = [_ISO_TIME.fullmatch(v) is not None for v in when]
        parsed = pd.to_datetime(pd.Series([v if good else None for v, good in zip(when, iso, strict=True)],
                                          dtype=object), format="ISO8601", errors="coerce")
        valid = parsed.notna().to_numpy()
        ok &= (np.array(iso) & valid) | (np.array([v == "" for v in when]) & (not require_time))
        out["received_at"] = parsed.tolist()
        # Not stripped: the schema's Literal does not strip (" family " is refused there too)
        caller = column("caller_type")
        ok &= [v == "" or v in _CALLERS for v in caller]
        out["caller_type"] = [v or None for v in caller]
        for name, pattern, top in (("priority", _PRIORITY, 9), ("location_prior_calls", _PRIOR_CALLS, 10_000)):
            value = [v.strip(_WHITE_SPACE) for v in column(name)]
            number = [int(v) if pattern.fullmatch(v) else None for v in value]
            ok &= [(x is not None and x <= top) or v == "" for x, v in zip(number, value, strict=True)]
            out[name] = number
        flags = []
        for name in label.any_of if labelled else ():
            value = [_FLAGS.get(v.strip().lower().removesuffix(".0")) for v in column(name)]  # as parse_flag
            ok &= [x is not None for x in value]
            flags.append(value)
        out[label.name] = [max((x or 0) for x in row) for row in zip(*flags, strict=True)] if flags else [None] * n
        for name in AUDIT_COLUMNS:
            out[name] = [v or None for v in column(name)]
    columns = [*CALL_FIELDS, label.name, *AUDIT_COLUMNS]
    fast = pd.DataFrame(out, index=raw.index)[columns][ok] if vectorised and n else pd.DataFrame(columns=columns)
    # The rest, one by one through the schema: the exact reason, or accepted after all (an offset, "+7").
    records, bad = {}, []
    rest = raw[~ok] if n else raw
    for number, row in zip(rest.index, rest.to_dict("records"), strict=True):
        reason, record = _check_row(row, fields, label, require_time, labelled, folding=folding)
        if reason is None:
            records[number] = record
        else:
            bad.append({"_row": number, **row, "_reason": reason})
    if records:
        slow = pd.DataFrame.from_dict(records, orient="index")
        fast = pd.concat([fast, slow[fast.columns]]).sort_index()
    if not folding and len(fast):
        repeated = np.zeros(len(fast), dtype=bool)
        for i, (number, call_id) in enumerate(zip(fast.index, fast["call_id"].tolist(), strict=True)):
            if call_id is None or call_id != call_id:  # no id (None or NaN): nothing to compare
                continue
            if call_id in seen_ids:
                repeated[i] = True
                bad.append({"_row": number, **raw.loc[number].to_dict(),
                            "_reason": f"call_id: duplicate of an earlier row ({call_id})"})
            else:
                seen_ids.add(call_id)
        fast = fast[~repeated]
    return fast, bad


def _fold(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per call: the first row's fields, the label set if any row of the call has it."""
    if frame.empty:
        return frame
    grouped = frame.groupby("call_id", sort=False, dropna=False)
    folded = grouped.first()
    folded[label] = grouped[label].max()
    return folded.reset_index()[frame.columns]


def _check_row(
    row: dict, fields: list[str], label: LabelConfig, require_time: bool, labelled: bool, *, folding: bool,
) -> tuple[str | None, dict]:
    """One row through the schema: its reason, or its record (duplicate ids are checked by the caller, in order)."""
    reason, call = validate_call(row, fields, None)
    if call is None:
        return reason, {}
    if require_time and call.received_at is None:
        return "received_at: missing", {}
    if folding and call.call_id is None:
        return "call_id: missing (rows are folded into calls by call id)", {}
    outcomes = {}
    for name in label.any_of if labelled else ():
        try:
            outcomes[name] = parse_flag(row[name])
        except ValueError as error:
            return f"{name}: {error}", {}
    record = call.model_dump()  # the narrative is redacted once, for every accepted row, by load_calls
    # Local wall-clock time is what hour-of-day features mean; an offset, if given, is dropped.
    record["received_at"] = call.received_at.replace(tzinfo=None) if call.received_at else None
    # escalated when any configured outcome flag is set; empty for a file without outcomes (require_label=False)
    record[label.name] = max(outcomes.values()) if outcomes else None
    for column in AUDIT_COLUMNS:
        record[column] = row.get(column) or None
    return None, record

"""Ingestion: every row is accepted or quarantined with its reason; nothing vanishes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from callroute.config import LabelConfig
from callroute.data import synth
from callroute.data.ingest import IngestError, load_calls

LABEL = LabelConfig()

# (kind, change to a good row) — each yields exactly one quarantined row with this reason prefix.
CORRUPTIONS = [
    ("narrative", {"narrative": ""}),
    ("narrative", {"narrative": "Y" * 6000}),
    ("received_at", {"received_at": "31/31/2023 25:61"}),
    ("received_at", {"received_at": ""}),
    ("priority", {"priority": "urgent"}),
    ("caller_type", {"caller_type": "martian"}),
    ("location_prior_calls", {"location_prior_calls": "-4"}),
    ("weapon_found", {"weapon_found": "maybe"}),
    ("call_id", "duplicate"),
]


def _write(path: Path, rows: list[dict], *, raw_tail: bytes = b"") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=synth.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    if raw_tail:
        with path.open("ab") as handle:
            handle.write(raw_tail)
    return path


def test_corrupted_file_quarantines_exactly_the_injected_rows(tmp_path: Path) -> None:
    # Given 40 good rows, one bad row of each of 10 kinds (the last one bytes that are neither UTF-8 nor
    # Windows-1252), and one good row written by Excel in Windows-1252
    good = list(synth.generate_rows(40, seed=3))
    bad = []
    for i, (_, change) in enumerate(CORRUPTIONS):
        row = dict(good[i])
        row["call_id"] = f"BAD{i}"
        if change == "duplicate":
            row["call_id"] = good[0]["call_id"]
        else:
            row.update(change)
        bad.append(row)
    encoding_row = dict(good[1], call_id="BADENC", narrative="SUBJ \x81\x8d YELLING")
    windows_row = dict(good[2], call_id="CP1252", narrative="SUBJ AT CAF\xc9 YELLING")
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=synth.COLUMNS).writerows([encoding_row, windows_row])
    path = _write(tmp_path / "calls.csv", good + bad, raw_tail=buffer.getvalue().encode("latin-1"))

    # When it is ingested
    frame, report = load_calls(path, label=LABEL, quarantine_dir=tmp_path / "q")

    # Then read = accepted + quarantined, and each bad row is set aside with its reason
    n_bad = len(CORRUPTIONS) + 1
    assert report.read == 41 + n_bad, report.summary()
    assert (report.accepted, report.quarantined) == (41, n_bad), report.summary()
    assert len(frame) == 41, "accepted rows must all reach the calls table"
    assert "SUBJ AT CAFÉ YELLING" in set(frame["narrative"]), "a Windows-1252 row is read as such"
    assert any("Windows-1252" in note for note in report.notes), report.notes
    quarantined = pd.read_csv(report.quarantine_path, dtype=str, keep_default_na=False)
    reasons = quarantined.set_index("call_id")["_reason"].to_dict()
    for i, (kind, _) in enumerate(CORRUPTIONS):
        key = good[0]["call_id"] if kind == "call_id" else f"BAD{i}"
        assert reasons[key].startswith(kind), f"row {key} should be quarantined for {kind}: {reasons[key]!r}"
    assert reasons["BADENC"].startswith("encoding"), reasons["BADENC"]


def test_lines_with_too_many_or_too_few_fields_are_quarantined(tmp_path: Path) -> None:
    rows = list(synth.generate_rows(5, seed=6))
    too_many = ",".join(["C9", "2024-01-01T10:00", "X"] + [""] * len(synth.COLUMNS))
    broken = f"{too_many}\nC10,short\n".encode()
    path = _write(tmp_path / "calls.csv", rows, raw_tail=broken)
    _, report = load_calls(path, label=LABEL, quarantine_dir=tmp_path / "q")
    assert (report.read, report.accepted, report.quarantined) == (7, 5, 2), report.summary()
    assert report.reasons[f"row: expected {len(synth.COLUMNS)} fields"] == 2, report.summary()


def test_missing_required_column_fails_at_once_naming_it(tmp_path: Path) -> None:
    rows = list(synth.generate_rows(5, seed=1))
    frame = pd.DataFrame(rows).drop(columns=["violence"])
    path = tmp_path / "calls.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(IngestError, match="violence"):
        load_calls(path, label=LABEL)


def test_label_follows_the_configured_definition(tmp_path: Path) -> None:
    rows = list(synth.generate_rows(200, seed=5))
    path = _write(tmp_path / "calls.csv", rows)
    only_weapons = LabelConfig(name="weapon", any_of=["weapon_found"])
    frame, _ = load_calls(path, label=only_weapons)
    expected = [int(r["weapon_found"]) for r in rows]
    assert frame["weapon"].tolist() == expected, "the label must be exactly the configured outcome column"


def test_narratives_are_redacted_on_ingest(tmp_path: Path) -> None:
    row = dict(next(synth.generate_rows(1, seed=2)), narrative="RP CALLBACK 206-555-0101 SUBJ YELLING")
    frame, _ = load_calls(_write(tmp_path / "c.csv", [row]), label=LABEL)
    assert "555" not in frame.loc[0, "narrative"], frame.loc[0, "narrative"]


def test_parquet_is_read_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    synth.write(path, 300, seed=4)
    frame, report = load_calls(path, label=LABEL)
    assert report.read == report.accepted == 300, report.summary()
    assert frame["priority"].isna().sum() > 0, "blank priorities arrive as missing, not as errors"

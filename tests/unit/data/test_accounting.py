"""Every row of a file is accounted for, however the file is damaged: read = rows = accepted + quarantined."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callroute.config import LabelConfig
from callroute.data import synth
from callroute.data.ingest import IngestError, load_calls
from callroute.data.mapping import Mapping
from callroute.data.tables import TableError

LABEL = LabelConfig()
GOOD = list(synth.generate_rows(12, seed=5))

# kind -> (how the row is changed, its encoding, the reason it must get; None: it must be accepted)
ROW_KINDS = {
    "huge narrative": ({"narrative": "SUBJ YELLING " * 23_077}, "utf-8", "narrative: longer than 5000 characters"),
    "newlines and quotes": ({"narrative": 'RP STS "GET OUT"\nSUBJ YELLING,\r\nPACING'}, "utf-8", None),
    "NUL byte": ({"narrative": "SUBJ \x00 YELLING"}, "utf-8", "row: contains a NUL byte"),
    "Windows-1252": ({"narrative": "SUBJ AT CAFÉ, CONFUSED"}, "cp1252", None),
    "neither encoding": ({"narrative": "SUBJ \x81\x8d CONFUSED"}, "latin-1", "encoding: bytes that are neither"),
    "extra field": ({"_extra": "surplus"}, "utf-8", "row: expected 20 fields (got 21)"),
    "missing fields": ({"_drop": 3}, "utf-8", "row: expected 20 fields (got 17)"),
    "twice-named column differs": ({"_copy": "OTHER"}, "utf-8", "district: the column appears twice"),
}


def _line(values: list[str], terminator: str, delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=terminator, delimiter=delimiter).writerow(
        ["" if v == "None" else v for v in values])
    return buffer.getvalue()


def _build(kinds: list[str], *, bom: bool, crlf: bool, excel_sep: bool, duplicate_column: bool,
           truncate_last: bool) -> tuple[bytes, list[tuple[str, str, str | None]], int]:
    """The file's bytes, (kind, call id, expected reason or None) of each injected row, its number of data rows."""
    terminator = "\r\n" if crlf else "\n"
    delimiter = ";" if excel_sep else ","
    columns = list(synth.COLUMNS) + (["district"] if duplicate_column else [])
    out = bytearray()
    if bom:
        out += b"\xef\xbb\xbf"
    if excel_sep:
        out += f"sep={delimiter}{terminator}".encode()
    out += _line(columns, terminator, delimiter).encode()
    expected: list[tuple[str, str, str | None]] = []
    rows = 0
    for good in GOOD:
        values = [str(good[c]) for c in synth.COLUMNS] + ([str(good["district"])] if duplicate_column else [])
        out += _line(values, terminator, delimiter).encode()
        rows += 1
    for i, kind in enumerate(kinds):
        change, encoding, reason = ROW_KINDS[kind]
        row = {**GOOD[i % len(GOOD)], "call_id": f"K{i}"}
        row.update({k: v for k, v in change.items() if not k.startswith("_")})
        values = [str(row[c]) for c in synth.COLUMNS] + ([str(row["district"])] if duplicate_column else [])
        if "_extra" in change:
            values.append(change["_extra"])
        if "_drop" in change:
            values = values[: -change["_drop"]]
        if "_copy" in change:
            if not duplicate_column:
                continue  # needs the twice-named column
            values[-1] = change["_copy"]
        if kind in ("extra field", "missing fields") and duplicate_column:
            reason = reason.replace("20 fields", "21 fields").replace("(got 21)", "(got 22)").replace("(got 17)",
                                                                                                   "(got 18)")
        out += _line(values, terminator, delimiter).encode(encoding)
        expected.append((kind, row["call_id"], reason))
        rows += 1
    if truncate_last:
        last = _line([str(GOOD[0][c]) for c in synth.COLUMNS] + ([str(GOOD[0]["district"])] if duplicate_column
                     else []), terminator, delimiter).encode()
        out += last[: len(last) // 2]  # the export was cut off mid-row
        rows += 1
    return bytes(out), expected, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(sorted(ROW_KINDS)), max_size=8), bom=st.booleans(), crlf=st.booleans(),
       excel_sep=st.booleans(), duplicate_column=st.booleans(), truncate_last=st.booleans(),
       chunk_rows=st.sampled_from([3, 100_000]))
def test_every_row_is_read_and_either_accepted_or_quarantined_with_its_reason(
    tmp_path: Path, kinds, bom, crlf, excel_sep, duplicate_column, truncate_last, chunk_rows
) -> None:
    # Given a valid export damaged in any of the ways real exports are
    data, expected, rows = _build(kinds, bom=bom, crlf=crlf, excel_sep=excel_sep,
                                  duplicate_column=duplicate_column, truncate_last=truncate_last)
    path = tmp_path / f"calls-{abs(hash(data))}.csv"
    path.write_bytes(data)
    # When it is ingested (in chunks as small as 3 rows, or all at once)
    frame, report = load_calls(path, label=LABEL, quarantine_dir=tmp_path / "q", chunk_rows=chunk_rows)
    # Then every data row is read once, and read = accepted + quarantined
    assert report.read == rows, f"read {report.read}, the file has {rows} data rows\n{report.summary()}"
    assert report.read == report.accepted + report.quarantined, report.summary()
    assert len(frame) == report.accepted
    # And each damaged row is quarantined with its own reason, or accepted when it is valid after all
    quarantined = (pd.read_csv(report.quarantine_path, dtype=str, keep_default_na=False)
                   if report.quarantine_path else pd.DataFrame(columns=["call_id", "_reason"]))
    reasons = dict(zip(quarantined.get("call_id", []), quarantined["_reason"], strict=False))
    for kind, call_id, reason in expected:
        if reason is None:
            assert call_id in set(frame["call_id"]), f"{kind} row {call_id} must be accepted: {report.summary()}"
        else:
            assert reasons.get(call_id, "").startswith(reason), f"{kind}: {reasons.get(call_id)!r}, want {reason!r}"
    # And no accepted narrative was cut: the long one is quarantined whole, with the file's row number
    if "huge narrative" in kinds:
        long = quarantined[quarantined["_reason"].str.startswith("narrative: longer")]
        assert long["narrative"].str.len().min() >= 300_000 - 13, "the quarantined row must keep its whole text"
        assert long["_row"].astype(int).min() > len(GOOD)


def test_a_300000_character_narrative_is_quarantined_not_lost(tmp_path: Path) -> None:
    # Given the file from the issue: 509 rows, one with a 300,000-character narrative
    rows = pd.DataFrame(list(synth.generate_rows(509, seed=3)))
    rows.loc[100, "narrative"] = "X" * 300_000
    path = tmp_path / "long.csv"
    rows.to_csv(path, index=False)
    # When it is checked
    _, report = load_calls(path, label=LABEL, quarantine_dir=tmp_path / "q", keep=False)
    # Then all 509 rows are read and the long one is quarantined with the limit named
    assert report.read == 509 and report.read == report.accepted + report.quarantined, report.summary()
    assert report.reasons["narrative: longer than 5000 characters"] == 1, report.summary()


def test_a_header_only_file_reads_zero_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(",".join(synth.COLUMNS) + "\n")
    frame, report = load_calls(path, label=LABEL)
    assert (report.read, report.accepted, report.quarantined, len(frame)) == (0, 0, 0, 0)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(TableError, match="empty file"):
        load_calls(path, label=LABEL)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    pd.DataFrame(GOOD).drop(columns=["narrative"]).to_csv(path, index=False)
    with pytest.raises(IngestError, match="missing required column"):
        load_calls(path, label=LABEL)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_csv_and_parquet_give_the_same_calls(tmp_path: Path, suffix: str) -> None:
    source = pd.DataFrame(list(synth.generate_rows(200, seed=9)))
    path = tmp_path / f"c{suffix}"
    source.to_parquet(path, index=False) if suffix == ".parquet" else source.to_csv(path, index=False)
    reference = tmp_path / "ref.csv"
    source.to_csv(reference, index=False)
    got, report = load_calls(path, label=LABEL)
    want, _ = load_calls(reference, label=LABEL)
    assert report.read == 200
    pd.testing.assert_frame_equal(got, want)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({
    "narrative": st.one_of(st.text(max_size=40), st.sampled_from(["SUBJ YELLING", "  ", "Y" * 5001, "ok"])),
    "received_at": st.one_of(st.sampled_from(["2024-01-01T10:00", "2024-01-01 10:00:05", "2024-01-01T10:00+02:00",
                                              "0001-01-01T00:00", "9999-12-31T23:59", "", "yesterday",
                                              "1700000000"]), st.text(max_size=12)),
    "priority": st.sampled_from(["1", "9", "0", "10", " 3 ", "3.0", "", "x", "+4"]),
    "location_prior_calls": st.sampled_from(["0", "10000", "10001", "-1", "007", "", "1e3"]),
    "caller_type": st.sampled_from(["self", " family ", "FAMILY", "", "martian"]),
    "call_type": st.one_of(st.sampled_from(["welfare check", "", "X" * 121]), st.text(max_size=10)),
    "weapon_found": st.sampled_from(["0", "1", "yes", "N", "1.0", "", "maybe"]),
    "call_id": st.sampled_from(["", "C1", "C2", "C3", "C4"]),
}), min_size=1, max_size=12), st.booleans())
def test_the_column_wise_checks_accept_exactly_what_the_schema_accepts(
    tmp_path: Path, rows: list[dict], folding: bool
) -> None:
    # Given any mix of valid and invalid values, ids missing or repeated, read as one call per row or folded by id
    frame = pd.DataFrame(rows).assign(violence="0", backup_requested="0", injury="0")
    path = tmp_path / "v.parquet"
    frame.to_parquet(path, index=False)
    mapping = Mapping(group_by="call_id") if folding else None
    # When ingested column-wise and row by row through the schema
    fast, fast_report = load_calls(path, label=LABEL, require_time=False, mapping=mapping)
    slow, slow_report = load_calls(path, label=LABEL, require_time=False, mapping=mapping, vectorised=False)
    # Then the same rows are accepted with the same values, and the same reasons counted
    assert fast_report.reasons == slow_report.reasons
    pd.testing.assert_frame_equal(fast, slow)


def test_data_check_json_reports_the_accounting_for_pipelines(tmp_path: Path, monkeypatch, capsys) -> None:
    import json

    from callroute.cli import main

    # Given a file with one bad row
    rows = pd.DataFrame(GOOD).astype(object)
    rows.loc[2, "priority"] = "urgent"
    path = tmp_path / "c.parquet"
    rows.astype(str).replace("None", "").to_parquet(path, index=False)
    monkeypatch.setenv("CALLROUTE_DATA_DIR", str(tmp_path / "data"))
    # When it is checked with --json
    assert main(["data", "check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # Then the counts, the reasons and the quarantine file (Parquet, as the input) are machine-readable
    assert (report["read"], report["accepted"], report["quarantined"], report["accounted"]) == (12, 11, 1, True)
    assert list(report["reasons"]) == [
        "priority: Input should be a valid integer, unable to parse string as an integer"]
    quarantined = pd.read_parquet(report["quarantine_path"])
    assert quarantined["_row"].tolist() == [3] and quarantined["priority"].tolist() == ["urgent"]

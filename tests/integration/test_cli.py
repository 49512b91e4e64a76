"""The command line as a data scientist or dispatcher types it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from callroute.cli import main
from callroute.data import synth

pytestmark = pytest.mark.integration


def test_predict_names_the_weapon_rule(env, capsys) -> None:
    assert main(["predict", "--narrative", "RP STS MALE SUBJ WAVING KNIFE AT PEDESTRIANS"]) == 0
    out = capsys.readouterr().out
    assert "recommendation:   police" in out and "weapon.present" in out, out


def test_predict_without_a_red_line_says_none_fired(env, capsys) -> None:
    assert main(["predict", "--narrative", "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN"]) == 0
    out = capsys.readouterr().out
    assert "red line:         none fired" in out, out


def test_predict_rejects_bad_input_with_a_clear_message(env, capsys) -> None:
    # Given an unknown caller type, When predict reads it, Then it stops with exit 2 naming the argument and the choices
    code = main(["predict", "--narrative", "ok", "--caller-type", "martian"])
    error = capsys.readouterr().err
    assert code == 2 and "--caller-type" in error and "bystander" in error, error
    # and a narrative the call model refuses (too long) is named by its field
    assert main(["predict", "--narrative", "x" * 5001]) == 2
    assert "narrative" in capsys.readouterr().err


def test_synth_and_check(tmp_path: Path, env, capsys) -> None:
    out = tmp_path / "s.csv"
    assert main(["data", "synth", "--rows", "50", "--seed", "1", "--out", str(out), "--quiet"]) == 0
    assert len(pd.read_csv(out)) == 50
    assert main(["data", "check", str(out)]) == 0
    assert "read 50, accepted 50, quarantined 0" in capsys.readouterr().out


def test_batch_writes_a_decision_per_valid_row_and_quarantines_the_rest(tmp_path: Path, env, capsys) -> None:
    rows = pd.DataFrame(list(synth.generate_rows(30, seed=8))).astype(object)
    rows.loc[3, "narrative"] = ""
    rows.loc[7, "priority"] = "urgent"
    source = tmp_path / "in.csv"
    rows.to_csv(source, index=False)
    target = tmp_path / "out.csv"
    assert main(["batch", str(source), str(target)]) == 0
    decisions = pd.read_csv(target)
    assert len(decisions) == 28, "two bad rows are quarantined, the rest decided"
    assert set(decisions["recommendation"]) <= {"crisis_team", "police"}
    assert "quarantined 2" in capsys.readouterr().out


def test_evaluate_reads_a_labelled_file(tmp_path: Path, env, capsys) -> None:
    path = tmp_path / "eval.csv"
    synth.write(path, 600, seed=99)
    # When the champion is evaluated, Then the verdict comes first and the metric list only with --verbose
    assert main(["evaluate", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "VERDICT" in out and "[PASS] ranking" in out and "evaluate --verbose" in out, out
    assert "  auc " not in out, "the metric list is behind --verbose"
    assert main(["evaluate", "--data", str(path), "--verbose"]) == 0
    assert "  auc " in capsys.readouterr().out


def test_report_writes_html_with_the_plots(env, capsys) -> None:
    assert main(["report"]) == 0
    path = Path(capsys.readouterr().out.strip().split()[-1])
    page = path.read_text()
    assert "reliability.png" in page and "data:image/png;base64," in page and "test.auc" in page
    assert "<td>call_type_list</td>" in page and "<td>oracle</td>" in page, "the baselines table is in the report"


def test_missing_data_file_is_a_clear_error(env, capsys) -> None:
    assert main(["data", "check", "/nonexistent.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_training_on_too_few_calls_says_why_nothing_is_diverted(tmp_path: Path, env, monkeypatch, capsys) -> None:
    # Given 1,500 calls: 300 calibration calls cannot certify a 2% upper bound
    data = tmp_path / "few.csv"
    synth.write(data, 1500, seed=3)
    monkeypatch.setenv("CALLROUTE_EXPERIMENTS_DIR", str(tmp_path / "exp"))
    monkeypatch.setenv("CALLROUTE_MODELS_DIR", str(tmp_path / "models"))
    # When it is trained
    assert main(["train", "--data", str(data)]) == 0
    # Then the run says so, and how to change it
    out = capsys.readouterr().out
    assert "sends every call to police" in out and "policy.conservative = false" in out, out[-2000:]
    assert "[WARN] safety promise, city" in out and "no call sent to a crisis team" in out, out[-2000:]
    # with what the data would need: calibration calls at the lowest observed rate, or that no number will do
    assert "cannot certify" in out and ("calibration calls, about" in out or "cannot certify it" in out), out[-2000:]
    # and the run's HTML report opens with the same warning
    assert main(["report"]) == 0
    page = Path(capsys.readouterr().out.strip().split()[-1]).read_text()
    assert "The data cannot certify the unsafe-diversion target" in page


@pytest.mark.parametrize("argv", [["promote", "99"], ["report", "no-such-run"]])
def test_unknown_version_or_run_is_a_one_line_error(env, capsys, argv: list[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("callroute: error:") and "not found" in err, err


def test_promote_exports_the_version_it_is_given(env, trained, settings, capsys) -> None:
    assert main(["promote", trained.version]) == 0
    from callroute.registry.bundle import verify_bundle

    assert verify_bundle(settings.resolved_bundle_dir)["version"] == trained.version


def test_batch_in_chunks_settles_duplicates_in_file_order(tmp_path: Path, router) -> None:
    # Given 30 calls where row 20 repeats row 5's call id and row 12 is invalid, read in chunks of 4
    from callroute.serving.batch import score_file

    rows = pd.DataFrame(list(synth.generate_rows(30, seed=8))).astype(object)
    rows.loc[20, "call_id"] = rows.loc[5, "call_id"]
    rows.loc[12, "priority"] = "urgent"
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    rows.to_csv(source, index=False)
    # When it is scored chunk by chunk (as the worker processes do)
    seen: list[tuple[int, int]] = []
    report = score_file(source, target, router, quarantine_dir=tmp_path / "q", chunk=4, workers=1,
                        progress=lambda settled, routed: seen.append((settled, routed)))
    # Then progress is told after every job of 4 rows, up to all 30
    assert [settled for settled, _ in seen] == [4, 8, 12, 16, 20, 24, 28, 30], seen
    assert all(routed <= settled for settled, routed in seen) and seen[-1][1] >= report.accepted, seen
    # And every row is accounted for, the first row with the id is decided and the later one quarantined
    decisions = pd.read_csv(target)
    quarantined = pd.read_csv(report.quarantine_path)
    assert report.read == 30 and report.accepted == 28 and report.quarantined == 2, report.summary()
    assert list(decisions["call_id"]) == [c for i, c in enumerate(rows["call_id"]) if i not in (12, 20)]
    assert sorted(quarantined["_reason"].str.split(":").str[0]) == ["call_id", "priority"], quarantined["_reason"]


def test_batch_streamed_in_blocks_by_two_workers_writes_what_one_process_writes(tmp_path: Path, router) -> None:
    # Given 45 calls with a bad row and a repeated id in different read blocks
    from callroute.serving.batch import score_file

    rows = pd.DataFrame(list(synth.generate_rows(45, seed=9))).astype(object)
    rows.loc[40, "call_id"] = rows.loc[2, "call_id"]
    rows.loc[17, "narrative"] = ""
    source = tmp_path / "in.csv"
    rows.to_csv(source, index=False)
    # When it is read 7 rows at a time and routed in jobs of 3, by one process and by two forked workers
    one = score_file(source, tmp_path / "one.csv", router, quarantine_dir=tmp_path / "q1", chunk=3, read_rows=7,
                     workers=1)
    two = score_file(source, tmp_path / "two.csv", router, quarantine_dir=tmp_path / "q2", chunk=3, read_rows=7,
                     workers=2)
    # Then both account for every row the same way and write the same decisions in file order
    assert (one.read, one.accepted, one.quarantined) == (two.read, two.accepted, two.quarantined) == (45, 43, 2)
    a, b = pd.read_csv(tmp_path / "one.csv"), pd.read_csv(tmp_path / "two.csv")
    assert list(a["call_id"]) == [c for i, c in enumerate(rows["call_id"]) if i not in (17, 40)]
    pd.testing.assert_frame_equal(a.drop(columns="request_id"), b.drop(columns="request_id"))
    quarantined = pd.read_csv(two.quarantine_path)
    assert sorted(quarantined["_row"]) == [18, 41], "quarantined rows keep their row number in the file"

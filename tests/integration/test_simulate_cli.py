"""`callroute simulate` as a program manager runs it, on the session's model and a small generated file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from callroute.cli import main
from callroute.data import synth

pytestmark = pytest.mark.integration


@pytest.fixture
def calls_file(tmp_path: Path) -> Path:
    """A few hundred generated calls without their outcome columns (a plain CAD export)."""
    rows = pd.DataFrame(list(synth.generate_rows(400, seed=3)))
    path = tmp_path / "calls.csv"
    rows.drop(columns=["weapon_found", "violence", "backup_requested", "injury"]).to_csv(path, index=False)
    return path


def test_a_sweep_writes_the_staffing_curve_and_names_the_smallest_roster(env, calls_file, tmp_path, capsys) -> None:
    # Given an export without outcomes  When a staffing sweep runs over all of it
    out = tmp_path / "sim"
    code = main(["simulate", "--data", str(calls_file), "--since", "2000-01-01", "--sweep", "teams=0..3",
                 "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    # Then the sweep has one row per policy and team count, 0 teams serve nothing, more teams never serve less
    table = pd.read_csv(out / "sweep.csv")
    assert set(table["policy"]) == {"router", "call_type_list"} and len(table) == 8, table
    for policy, rows in table.groupby("policy"):
        served = rows.sort_values("teams")["served_share"].to_numpy()
        assert served[0] == 0, f"{policy}: no team must mean nothing served"
        assert (served[1:] >= served[:-1] - 1e-9).all(), f"{policy}: served share fell with more teams: {served}"
    assert "smallest roster meeting the service level, router" in printed
    # And the report embeds the staffing curve and the utilisation plots as PNG
    html = (out / "report.html").read_text("utf-8")
    assert html.count("data:image/png;base64,") == 3, "staffing curve + one utilisation plot per policy"
    assert (out / "staffing.png").stat().st_size > 10_000
    # And every call is accounted for, police calls left with police
    calls = pd.read_csv(out / "calls-router.csv")
    assert len(calls) == 400
    assert (calls.loc[~calls["eligible"], "responder"] == "police").all()


def test_a_period_with_no_calls_is_a_one_line_error(env, calls_file, capsys) -> None:
    assert main(["simulate", "--data", str(calls_file), "--since", "1990-01-01", "--until", "1990-12-31"]) == 2
    err = capsys.readouterr().err
    assert "no call between 1990-01-01 and 1990-12-31" in err and "the file covers" in err, err


@pytest.mark.parametrize("sweep", ["teams=5..2", "teams=a..b", "workers=1..3"])
def test_a_malformed_sweep_is_refused_with_the_expected_form(env, calls_file, sweep: str, capsys) -> None:
    assert main(["simulate", "--data", str(calls_file), "--sweep", sweep]) == 2
    assert "teams=FIRST..LAST" in capsys.readouterr().err


def test_an_unknown_configuration_key_is_refused(env, calls_file, tmp_path, capsys) -> None:
    config = tmp_path / "sim.toml"
    config.write_text("[fallback]\nmax_wiat = 10\n")
    assert main(["simulate", "--data", str(calls_file), "--config", str(config)]) == 2
    assert "max_wiat" in capsys.readouterr().err

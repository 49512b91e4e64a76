"""The seen/unseen wording figures, on a tiny hand-made assessment."""

from __future__ import annotations

import pandas as pd
import pytest

from callroute.training.wording import is_generated, wording_figures


def _frames():
    calls = pd.DataFrame({
        "escalated": [1, 0, 1, 0, 0, 1],
        "cues": ["weapon_explicit", "calm", "violence filler", "", "insists", "agitated"],
        "register": ["cad", "cad", "plain", "plain", "caller", "caller"],
        "wording": ["A"] * 6,
    })
    assessed = pd.DataFrame({
        "escalation_risk": [0.9, 0.1, 0.8, 0.2, 0.3, 0.05],
        "recommendation": ["police", "crisis_team", "police", "crisis_team", "police", "crisis_team"],
        "red_line": [True, False, False, False, True, False],
    })
    return calls, assessed


def test_red_line_recall_counts_only_calls_that_state_a_red_line_fact() -> None:
    # Given three calls whose narratives state a red-line fact, two of which fired
    calls, assessed = _frames()
    figures = wording_figures(assessed, calls, "escalated")
    # Then recall is 2/3 overall, and per register it is computed within the register
    assert figures["red_line_recall"] == pytest.approx(2 / 3)
    assert figures["cad_red_line_recall"] == 1.0 and figures["plain_red_line_recall"] == 0.0
    assert figures["caller_red_line_recall"] == 1.0
    # And diverted calls escalate: 1 of the 3 diverted (the last caller call)
    assert figures["diverted_share"] == pytest.approx(0.5)
    assert figures["unsafe_diversion_rate"] == pytest.approx(1 / 3)


def test_only_half_a_generated_data_is_measured() -> None:
    calls, _ = _frames()
    assert is_generated(calls)
    assert not is_generated(calls.assign(wording="B"))
    assert not is_generated(calls.drop(columns="wording"))

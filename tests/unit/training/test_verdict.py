"""The verdict: one line per check, districts over target named, failures before any metric list."""

from __future__ import annotations

from callroute.training.verdict import FAIL, PASS, WARN, checks, render


def _metrics(**districts: tuple[float, float, float, float]) -> dict[str, float]:
    """City figures safe at 2%; districts as name=(rate, ci_low, ci_high, certified)."""
    metrics = {"diverted_share": 0.385, "unsafe_diversion_rate": 0.0189, "unsafe_diversion_ci_low": 0.0153,
               "unsafe_diversion_ci_high": 0.0232, "auc": 0.832, "wording_unseen_auc": 0.825,
               "wording_unseen_red_line_recall": 0.994, "wording_unseen_diverted_share": 0.368,
               "wording_unseen_unsafe_diversion_rate": 0.0206}
    for name, (rate, low, high, certified) in districts.items():
        metrics |= {f"district_{name}_unsafe_diversion_rate": rate, f"district_{name}_unsafe_ci_low": low,
                    f"district_{name}_unsafe_ci_high": high, f"district_{name}_certified": certified,
                    f"district_{name}_calls": 1000.0}
    return metrics


def _by_name(found) -> dict[str, tuple[str, str]]:
    return {c.name: (c.status, c.detail) for c in found}


def test_districts_over_the_target_are_named_and_warned_when_the_interval_holds_it() -> None:
    # Given the default model's districts: HARBOR and CENTRAL over 2% on test, intervals holding 2%
    found = _by_name(checks(_metrics(HARBOR=(0.0296, 0.017, 0.051, 0.0), CENTRAL=(0.0204, 0.013, 0.032, 0.0),
                                     NORTH=(0.0172, 0.010, 0.028, 1.0)), 0.02))
    status, detail = found["safety promise, districts"]
    # Then the verdict warns, naming both with their intervals, worst first, and not NORTH
    assert status == WARN, found
    assert detail.index("HARBOR 2.96%") < detail.index("CENTRAL 2.04%") and "NORTH" not in detail, detail
    assert found["district thresholds"] == (WARN, "certified on their own calls: NORTH; the city's threshold for "
                                            "CENTRAL, HARBOR (their calibration calls cannot certify one)"), found
    assert found["safety promise, city"][0] == PASS


def test_a_district_clearly_over_the_target_fails_the_verdict() -> None:
    found = _by_name(checks(_metrics(HARBOR=(0.045, 0.021, 0.08, 0.0)), 0.02))
    assert found["safety promise, districts"][0] == FAIL and "clearly above it" in found[
        "safety promise, districts"][1], found


def test_an_unsafe_city_or_missed_red_lines_fail_and_the_title_says_so() -> None:
    metrics = _metrics(NORTH=(0.01, 0.005, 0.02, 1.0)) | {"unsafe_diversion_rate": 0.025,
                                                           "wording_unseen_red_line_recall": 0.95}
    text = render("version 3", metrics, 0.02, gate="not promoted: ...")
    assert text.startswith("VERDICT FAIL: version 3"), text
    assert "[FAIL] safety promise, city" in text and "[FAIL] red lines, unseen wording" in text, text
    assert "[PASS] safety promise, districts" in text and "gate: not promoted" in text, text


def test_a_clean_model_passes() -> None:
    metrics = _metrics(NORTH=(0.01, 0.005, 0.02, 1.0)) | {"wording_unseen_unsafe_diversion_rate": 0.019}
    text = render("version 4", metrics, 0.02)
    assert text.startswith("VERDICT PASS: version 4") and "WARN" not in text and "FAIL" not in text, text


def test_a_model_that_diverts_nothing_says_so_instead_of_a_rate() -> None:
    found = _by_name(checks({"diverted_share": 0.0, "unsafe_diversion_rate": float("nan")}, 0.02))
    assert found["safety promise, city"][0] == WARN and "every call goes to police" in found[
        "safety promise, city"][1], found

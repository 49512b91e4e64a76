"""Column mappings: real export layouts, value spellings, derived labels and the leakage guard."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from callroute.config import LabelConfig
from callroute.data import synth
from callroute.data.ingest import load_calls
from callroute.data.mapping import Mapping

FIXTURES = Path(__file__).parents[2] / "fixtures"
SHARED = Path(__file__).parents[4] / "shared" / "data"
SHIPPED = sorted(p.name.removesuffix(".toml") for p in resources.files("callroute.data").joinpath("mappings").iterdir()
                 if p.name.endswith(".toml"))


def test_seattle_like_export_folds_rows_into_calls_and_derives_the_label(tmp_path: Path) -> None:
    # Given a Seattle-style export: two rows for template 1001 (one an arrest), a placeholder row,
    # a use of force, a duplicate officer row, and an impossible date
    frame, report = load_calls(FIXTURES / "seattle_like.csv", label=LabelConfig(),
                               mapping=Mapping.load("seattle-crisis"), quarantine_dir=tmp_path)
    # Then every row is accounted for and bad ones carry their reason
    assert report.read == report.accepted + report.quarantined == 9, report.summary()
    assert report.quarantined == 2, report.summary()
    assert {"narrative: missing or empty", "received_at: Input should be a valid datetime or date"} \
        <= {r.split(",")[0] for r in report.reasons}, report.summary()
    # And rows of one call become one call whose label is set if any row had an arrest or force
    calls = frame.set_index("call_id")
    assert list(calls.index) == ["1001", "1002", "1003", "1005", "1006"], calls.index
    assert calls["escalation"].to_dict() == {"1001": 1, "1002": 0, "1003": 1, "1005": 0, "1006": 0}
    assert calls.loc["1002", "district"] == "SOUTHWEST" and calls.loc["1001", "call_type"].startswith("PERSON IN")
    assert report.calls == 5 and "arrest_or_force" in report.label


@pytest.mark.parametrize("name", SHIPPED)
def test_no_shipped_mapping_lets_an_outcome_reach_the_features(name: str, tmp_path: Path) -> None:
    mapping = Mapping.load(name)
    # Given the same file twice, the second with every outcome and after-the-fact column scrambled
    if name == "seattle-crisis":
        raw = pd.read_csv(FIXTURES / "seattle_like.csv", dtype=str, keep_default_na=False)
        after = ["final_call_type", "disposition", "use_of_force_indicator", "officer_id", "officer_race"]
    else:
        raw = pd.DataFrame(list(synth.generate_rows(50, seed=4))).astype(object)
        after = list(synth.AFTER_THE_FACT_COLUMNS)
    scrambled = raw.copy()
    for column in after:
        scrambled[column] = scrambled[column].sample(frac=1.0, random_state=1).to_numpy()
    raw.to_csv(tmp_path / "a.csv", index=False)
    scrambled.to_csv(tmp_path / "b.csv", index=False)
    a, _ = load_calls(tmp_path / "a.csv", label=LabelConfig(), mapping=mapping)
    b, _ = load_calls(tmp_path / "b.csv", label=LabelConfig(), mapping=mapping)
    # Then the call fields the model reads are identical
    fields = ["narrative", "call_type", "district", "received_at", "caller_type", "priority", "location_prior_calls"]
    pd.testing.assert_frame_equal(a[fields], b[fields], obj=f"call fields under mapping {name}")


@pytest.mark.parametrize(
    "columns",
    [{"final_call_type": "call_type"}, {"disposition": "narrative"}, {"true_risk": "priority"},
     {"use_of_force_indicator": "district"}],
)
def test_mapping_an_after_the_fact_column_onto_a_call_field_is_rejected(columns: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="known only after"):
        Mapping.model_validate({"columns": columns})


def test_a_column_feeding_an_outcome_cannot_feed_the_narrative() -> None:
    with pytest.raises(ValidationError, match="known only after"):
        Mapping.model_validate({"narrative_from": ["notes"], "outcomes": {"hurt": {"notes": ["INJURED"]}}})


def test_unknown_mapping_name_lists_the_shipped_ones() -> None:
    with pytest.raises(FileNotFoundError, match="seattle-crisis"):
        Mapping.load("no-such-agency")


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside this checkout")
def test_real_seattle_sample_ingests_with_every_row_accounted_for(tmp_path: Path) -> None:
    path = SHARED / "seattle-crisis-sample" / "spd_crisis_data_api_sample_union.csv"
    frame, report = load_calls(path, label=LabelConfig(), mapping=Mapping.load("seattle-crisis"),
                               quarantine_dir=tmp_path)
    assert report.read == report.accepted + report.quarantined == 1982, report.summary()
    assert report.calls == len(frame) and frame["call_id"].is_unique
    # About 6.8% of templates end in arrest or force (shared/data/README.md); dated ones only here.
    assert 0.03 < frame["escalation"].mean() < 0.12, report.summary()

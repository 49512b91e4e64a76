"""Training: time split -> fit -> calibrate -> policy -> Router -> evaluate -> baselines.

Pure data in, results out: reading files, MLflow, registration and promotion are the
training job's (:mod:`callroute.jobs.training`); nothing here knows about a tracker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from callroute.config import ExperimentConfig
from callroute.data.ingest import IngestReport
from callroute.facts import FactReader
from callroute.language.text import is_negation_only
from callroute.model.calibrate import ScoreCalibrator
from callroute.model.compiled import compile_pipeline, probe_calls
from callroute.model.features import (
    FACTS_BLOCK,
    FEATURES_STEP,
    MODEL_STEP,
    NIGHT_BLOCK,
    NIGHT_FACTS_BLOCK,
    UNTYPED_FACTS_BLOCK,
    WORDS_BLOCK,
    build_pipeline,
    prepare_frame,
)
from callroute.routing.policy import NARRATIVE_ONLY_FIELDS
from callroute.routing.router import Router, scoring_records
from callroute.rules.engine import RuleSet
from callroute.schema import CALL_FEATURE_COLUMNS
from callroute.training import baselines, wording
from callroute.training.evaluate import evaluate, monitoring_reference, routing_metrics
from callroute.training.thresholds import bare_narrative_risk, fit_policy


@dataclass
class Splits:
    """Train, calibration and test calls, in time order."""

    train: pd.DataFrame
    calibration: pd.DataFrame
    test: pd.DataFrame

    def describe(self) -> dict[str, str]:
        """Sizes and date ranges, logged as parameters."""
        out = {}
        for name in ("train", "calibration", "test"):
            part = getattr(self, name)
            out[f"split.{name}.rows"] = str(len(part))
            out[f"split.{name}.from"] = str(part["received_at"].min())
            out[f"split.{name}.to"] = str(part["received_at"].max())
        return out


def time_split(calls: pd.DataFrame, config: ExperimentConfig) -> Splits:
    """Oldest calls train, the next calibrate, the newest test (no shuffling across time).

    ``split.method = "random"`` shuffles instead; it exists to measure how much a random
    split flatters a model (calls drift over time), never to choose one.
    """
    if config.split.method == "random":
        ordered = calls.sample(frac=1.0, random_state=config.split.seed).reset_index(drop=True)
    else:
        ordered = calls.sort_values("received_at", kind="stable").reset_index(drop=True)
    n = len(ordered)
    a = int(n * config.split.train)
    b = int(n * (config.split.train + config.split.calibration))
    splits = Splits(ordered.iloc[:a], ordered.iloc[a:b], ordered.iloc[b:])
    label = config.label.name
    for name in ("train", "calibration", "test"):
        part = getattr(splits, name)
        if part[label].nunique() < 2:
            raise ValueError(
                f"the {name} split ({len(part)} calls) has only one label value; more data is needed"
            )
    return splits


def fit_router(splits: Splits, config: ExperimentConfig, *, name: str = "callroute") -> Router:
    """Fit the pipeline on train, the calibrator and the threshold on calibration."""
    label = config.label.name
    ruleset = RuleSet.load(disabled=frozenset(config.rules.disabled))
    masked = mask_fields(splits.train, rate=config.features.field_dropout, seed=0)
    masked = blank_all_fields(masked, share=config.features.narrative_only_share, seed=1)
    train_inputs = prepare_frame(masked)
    if config.features.night_terms and not (train_inputs["is_night"] == 1.0).any():
        # No training call has a time between 22:00 and 05:00 (an export without times): no night-time words.
        config = config.model_copy(update={"features": config.features.model_copy(update={"night_terms": False})})
    pipeline = build_pipeline(config)
    pipeline.fit(train_inputs, splits.train[label].astype(int))
    calming_terms_cannot_raise(pipeline)
    fact_signs_hold(pipeline)

    train_matrix = pipeline.named_steps[FEATURES_STEP].transform(train_inputs)
    scorer = compile_pipeline(pipeline, np.asarray(train_matrix.mean(axis=0)).ravel())
    # Calibration calls are scored as the Router will serve them: compiled tables, redacted narratives.
    cal_records = scoring_records(splits.calibration)
    cal_scores = scorer.score_many(cal_records)
    cal_y = splits.calibration[label].astype(int).to_numpy()
    calibrator = ScoreCalibrator(method=config.calibration.method).fit(cal_scores, cal_y)
    cal_risk = np.array([calibrator.risk(float(s)) for s in cal_scores])
    # Red-line calls go to police whatever the score: choose the threshold among the rest.
    eligible = np.array([not ruleset.evaluate(t).fired for t in splits.calibration["narrative"]])
    policy, district_table, certification = fit_policy(
        splits.calibration, cal_risk, cal_y, eligible, config, history=pd.concat([splits.train, splits.calibration]),
        bare_risk=(lambda: bare_narrative_risk(scorer, calibrator, splits.calibration))
        if config.policy.narrative_only else None,
    )
    router = Router(
        pipeline=pipeline,
        calibrator=calibrator,
        policy=policy,
        ruleset=ruleset,
        scorer=scorer,
        name=name,
        facts=scorer.facts.reader if scorer.facts is not None else FactReader(),
        metadata={"label": config.label.name, "experiment": config.name, "districts": district_table},
    )
    # The compiled tables must score exactly as the pipeline does: on every calibration call and on probes.
    if certification is not None:
        router.metadata["certification"] = certification
    checked = cal_records + probe_calls(scorer)
    router.metadata["compiled_check"] = {"calls": len(checked), "max_difference": router.verify(checked)}
    return router


def fields_without_information(calls: pd.DataFrame) -> list[str]:
    """Optional call fields that are absent or empty in every call."""
    optional = [c for c in CALL_FEATURE_COLUMNS if c != "narrative"]
    out = []
    for name in optional:
        if name not in calls.columns:
            out.append(name)
            continue
        values = calls[name]
        if values.isna().all() or values.astype(str).str.strip().isin(["", "nan", "None", "NaT"]).all():
            out.append(name)
    return out


def certification_message(router: Router, config: ExperimentConfig, calibration_calls: int) -> str:
    """Why this model diverts nothing, with what the data would need and the options, in plain words."""
    target = config.policy.unsafe_diversion_target
    if not config.policy.conservative:
        return (f"warning: no threshold keeps the observed unsafe-diversion rate at or under {target:.1%} on the "
                f"{calibration_calls} calibration calls, so this model sends every call to police. Options: more "
                "calls, or a looser policy.unsafe_diversion_target.")
    c = router.metadata.get("certification", {})
    own = [district for district, threshold in router.policy.district_thresholds if threshold > 0]
    head = (f"warning: the data cannot certify the {target:.1%} target: no threshold keeps the upper 95% bound of the "
            f"unsafe-diversion rate at or under {c.get('target_used', target):.2%} (the target tightened for the "
            f"escalation trend) on the {calibration_calls} calibration calls, so this model sends every call to "
            "police" + (f" outside {', '.join(own)}, which certify their own thresholds." if own else "."))
    if not np.isfinite(c.get("calls_needed", float("inf"))):
        need = (f" Even the lowest-risk calibration calls escalate at {c.get('rate', float('nan')):.2%}: more calls of "
                "the same kind cannot certify it.")
    else:
        total = c["calibration_needed"] / c["calibration_share"]
        need = (f" The lowest-risk {c['share']:.0%} of the eligible recent calibration calls escalate at "
                f"{c['rate']:.2%}; at that rate the bound reaches the target with about "
                f"{c['diverted_needed']:,.0f} such calls "
                f"({c['escalations_needed']:,.0f} escalations), i.e. about {c['calibration_needed']:,.0f} calibration "
                f"calls, about {total:,.0f} calls in all.")
    return head + need + (" Options: more data, a looser policy.unsafe_diversion_target, or policy.conservative = "
                          "false (the observed rate instead of its upper bound).")


def calming_terms_cannot_raise(pipeline) -> int:
    """Clip to <= 0 the weight of every n-gram made only of negation ("no weapons seen", "denies si").

    A stated absence of danger must never raise the risk (a safety prior, tested as behaviour): in
    training data such phrases also mark the contexts where callers are asked about weapons or
    suicide, and a free weight can pick that up. Returns how many weights were clipped.
    """
    columns = pipeline.named_steps[FEATURES_STEP]
    coef = pipeline.named_steps[MODEL_STEP].coef_[0]
    clipped = 0
    for block in (WORDS_BLOCK, NIGHT_BLOCK):
        if block not in columns.named_transformers_:
            continue
        start = columns.output_indices_[block].start
        for offset, term in enumerate(columns.named_transformers_[block].get_feature_names_out()):
            if is_negation_only(str(term)) and coef[start + offset] > 0:
                coef[start + offset] = 0.0
                clipped += 1
    return clipped


def fact_signs_hold(pipeline) -> list[str]:
    """Clip to 0 every fact weight whose sign the domain fixes and the fit got wrong; returns the columns clipped.

    A fact of sign "raises" (catalogue.toml) never lowers the risk when present and its denial never raises it
    ("lowers" the reverse): a weapon present cannot make a call safer because the generator's weapon calls
    came with call types that escalate less. Day and night blocks are clipped alike (night adds to day).
    """
    columns = pipeline.named_steps[FEATURES_STEP]
    coef = pipeline.named_steps[MODEL_STEP].coef_[0]
    clipped: list[str] = []
    for block in (FACTS_BLOCK, NIGHT_FACTS_BLOCK, UNTYPED_FACTS_BLOCK):
        if block not in columns.named_transformers_:
            continue
        vectorizer = columns.named_transformers_[block]
        catalogue = vectorizer.reader_.catalogue
        start = columns.output_indices_[block].start
        for offset, name in enumerate(vectorizer.get_feature_names_out()):
            fact_id, _, denied = str(name).partition("=")
            if fact_id not in catalogue.by_id:
                continue  # the bias column of a partial block
            sign = catalogue.by_id[fact_id].sign
            if sign == "free":
                continue
            up = (sign == "raises") != bool(denied)  # the column may only raise the risk
            j = start + offset
            if (up and coef[j] < 0) or (not up and coef[j] > 0):
                coef[j] = 0.0
                clipped.append(f"{block}:{name}")
    return clipped


_STRUCTURED = ("call_type", "district", "caller_type", "priority", "received_at", "location_prior_calls")


def blank_all_fields(calls: pd.DataFrame, *, share: float, seed: int) -> pd.DataFrame:
    """Blank every structured field at once in a random ``share`` of training rows (0: none).

    A call sent with its narrative alone (a plain-English call from a text line or a partner agency) has no
    call type to carry the risk: independent blanking almost never leaves a training row so bare, so the
    facts learn to stand in for the call type only where whole rows are bare.
    """
    if share <= 0:
        return calls
    rng = np.random.default_rng(seed)
    bare = rng.random(len(calls)) < share
    out = calls.copy()
    for column in _STRUCTURED:
        out[column] = out[column].astype(object).where(~bare, None)
    return out


def mask_fields(calls: pd.DataFrame, *, rate: float, seed: int) -> pd.DataFrame:
    """Blank each optional structured field in a random ``rate`` of training rows.

    Dispatch software often sends calls with fields missing; without examples of
    "unknown" the model would treat a missing call type as an unseen category with
    an arbitrary weight. Blanking teaches it that unknown means "no information".
    """
    rng = np.random.default_rng(seed)
    masked = calls.copy()
    for column in _STRUCTURED:
        blank = rng.random(len(masked)) < rate
        masked[column] = masked[column].astype(object).where(~blank, None)
    return masked


@dataclass
class TrainingResult:
    """What a training produced: the Router, its test figures and the data it saw (no tracking here)."""

    router: Router
    metrics: dict[str, float]
    report: IngestReport
    splits: Splits
    test_assessment: pd.DataFrame
    baselines: pd.DataFrame  # baselines.compare: one row per router (a)-(d)
    seconds: dict[str, float] = field(default_factory=dict)


def train_and_evaluate(
    calls: pd.DataFrame,
    report: IngestReport,
    config: ExperimentConfig,
    *,
    name: str = "callroute",
    echo: Callable[[str], None] = print,
) -> TrainingResult:
    """Split by time, fit, evaluate on the test split and compare with the baselines."""
    seconds: dict[str, float] = {}
    splits = time_split(calls, config)
    empty = fields_without_information(splits.train)
    if empty:
        echo(f"no information in {', '.join(empty)}: empty in every training call, so the model has no such "
             "feature (calls that carry them later are scored as the average call on these fields)")
    fit_started = time.perf_counter()
    families = " + ".join(label for label, on in (("facts", config.features.facts), ("words", config.features.ngrams),
                                                  ("meaning", config.features.meaning)) if on) or "fields only"
    echo(f"[1/4] fitting on {len(splits.train):,} training calls ({families}), calibrating and fitting the policy "
         f"on {len(splits.calibration):,} calibration calls ...")
    router = fit_router(splits, config, name=name)
    seconds["fit"] = time.perf_counter() - fit_started
    echo(f"      fitted in {seconds['fit']:.1f} s")
    if router.policy.threshold == 0.0:
        echo(certification_message(router, config, len(splits.calibration)))
    echo(f"[2/4] evaluating on {len(splits.test):,} test calls ...")
    metrics, assessment = evaluate(router, splits.test, config.label.name)
    router.metadata["reference"] = monitoring_reference(router, splits.test, assessment)
    metrics["certified"] = float(router.policy.threshold > 0.0)
    # The test calls again as a narrative alone (tests/benchmarks/sparse_calls.py prints more levels).
    bare = router.assess(splits.test.assign(**dict.fromkeys(NARRATIVE_ONLY_FIELDS)))
    metrics.update({f"narrative_only_{key}": value for key, value in routing_metrics(
        splits.test[config.label.name].astype(int).to_numpy(), (bare["recommendation"] == "crisis_team").to_numpy(),
    ).items()})
    needed = router.metadata.get("certification", {}).get("calibration_needed", float("nan"))
    if np.isfinite(needed):
        metrics["certify_calibration_calls_needed"] = float(needed)
    # The calibration calls are assessed once and shared by both comparisons (rules and meaning cost ~0.7 ms a call).
    echo("[3/4] comparing with the baselines (call-type list, keyword rules, oracle) ...")
    cal_assessment = router.assess(splits.calibration)
    comparison = baselines.compare(router, splits.calibration, splits.test, config, test_assessment=assessment,
                                   calibration_assessment=cal_assessment)
    if config.evaluation.unseen_rows and wording.is_generated(splits.test):
        started = time.perf_counter()
        echo(f"[4/4] scoring {config.evaluation.unseen_rows:,} calls written in unseen wording ...")
        unseen = wording.unseen_calls(splits.test, config)
        unseen_assessment = router.assess(unseen)
        metrics.update(wording.compare_wording(router, splits.test, assessment, unseen, unseen_assessment,
                                               config.label.name))
        unseen_table = baselines.compare(router, splits.calibration, unseen, config,
                                         test_assessment=unseen_assessment, calibration_assessment=cal_assessment)
        comparison = baselines.with_unseen(comparison, unseen_table)
        seconds["unseen_wording"] = time.perf_counter() - started
    elif config.evaluation.unseen_rows:
        echo("unseen-wording measure skipped: the data was not written by callroute's generator with lexicon half A")
    return TrainingResult(router, metrics, report, splits, assessment, comparison, seconds)

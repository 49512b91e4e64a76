"""Model families compared on seen and unseen wording and on hand-written plain English.

    .venv/bin/python tests/benchmarks/real_language.py [--rows 60000]

Trains each family (experiment files: the default, ngrams-only, meaning-only) on the same generated
calls (lexicon half A), then prints for each: test-split AUC / diverted share / unsafe-diversion rate
(seen wording), the same on 12,000 calls written with lexicon half B (unseen wording), red-line recall
on both, score AUC and routing of the 40 hand-written plain-English calls (tests/model/plain_english.py),
fit time and single-call latency of ``Router.route`` (median of 200 calls, rules and explanation included).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

from sklearn.metrics import roc_auc_score

from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.data.ingest import load_calls
from callroute.schema import CallIn
from callroute.training.fit import train_and_evaluate

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("plain_english", ROOT / "tests" / "model" / "plain_english.py")
plain_english = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plain_english)
FAMILIES = {"default (n-grams + meaning at scale 10, n-gram dropout, C 0.02, 6-word floor)": None,
            "scale6": "scale6.toml", "no-floor": "no-floor.toml",
            "c05-scale6": "c05-scale6.toml",
            "no-dropout": "no-dropout.toml",
            "ngrams-only": "ngrams-only.toml", "meaning-only": "meaning-only.toml"}


def latency_ms(router, n: int = 200) -> float:
    """Median wall time of one ``Router.route`` call, in milliseconds."""
    calls = [CallIn(narrative=text) for text in (plain_english.CRISIS + plain_english.DANGEROUS) * (n // 40 + 1)][:n]
    router.route(calls[0])
    times = []
    for call in calls:
        started = time.perf_counter()
        router.route(call)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def incident_auc(router) -> float:
    """Model-score AUC on the hand-written published-style call descriptions (violent vs other)."""
    texts = plain_english.INCIDENT_VIOLENT + plain_english.INCIDENT_OTHER
    scores = [d.explanation.score for d in router.route_many([CallIn(narrative=t) for t in texts])]
    return roc_auc_score([1] * len(plain_english.INCIDENT_VIOLENT) + [0] * len(plain_english.INCIDENT_OTHER), scores)


def main() -> None:
    """Train each family, print one row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calls.csv"
        synth.write(path, args.rows, 7)
        calls, report = load_calls(path, label=ExperimentConfig().label)
    rows = []
    for name, file in FAMILIES.items():
        config = ExperimentConfig.load(ROOT / "experiments" / file if file else None)
        result = train_and_evaluate(calls, report, config, echo=lambda _: None)
        m, router = result.metrics, result.router
        plain = router.route_many([CallIn(narrative=t) for t in plain_english.DANGEROUS + plain_english.CRISIS])
        n_danger = len(plain_english.DANGEROUS)
        rows.append({
            "family": name,
            "seen AUC": m["wording_seen_auc"], "unseen AUC": m["wording_unseen_auc"],
            "seen diverted": m["wording_seen_diverted_share"], "unseen diverted": m["wording_unseen_diverted_share"],
            "seen unsafe": m["wording_seen_unsafe_diversion_rate"],
            "unseen unsafe": m["wording_unseen_unsafe_diversion_rate"],
            "red-line recall seen": m["wording_seen_red_line_recall"],
            "red-line recall unseen": m["wording_unseen_red_line_recall"],
            "plain AUC": roc_auc_score([1] * n_danger + [0] * len(plain_english.CRISIS),
                                       [d.explanation.score for d in plain]),
            "plain dangerous->police": sum(d.recommendation == "police" for d in plain[:n_danger]) / n_danger,
            "plain crisis->team": sum(d.recommendation == "crisis_team" for d in plain[n_danger:])
            / len(plain_english.CRISIS),
            "incident AUC": incident_auc(router),
            "fit s": result.seconds["fit"],
            "route ms": latency_ms(router),
        })
        print(rows[-1], flush=True)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()

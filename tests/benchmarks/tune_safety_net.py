"""Choose the semantic safety net's threshold on hand-written calls and write it into the rules file.

    .venv/bin/python tests/benchmarks/tune_safety_net.py            # print the table only
    .venv/bin/python tests/benchmarks/tune_safety_net.py --write    # also write `threshold` to redline.toml

Tuning set: the hand-written narratives of tests/unit/rules/test_rules_real_wording.py (red-line calls
and crisis calls, negations, everyday objects). The threshold is the lowest one whose false-fire rate on
the crisis calls stays at or under --max-false-fire; recall is reported for the net alone and for the
worded rules plus the net. Held out: tests/model/plain_english.py (never used to choose), reported too.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "unit" / "rules"), str(HERE.parent / "model")]

import plain_english  # noqa: E402
import test_rules_real_wording as hand_written  # noqa: E402

from callroute.rules.engine import RuleSet  # noqa: E402


def net_scores(rules: RuleSet, narratives: list[str]) -> np.ndarray:
    """Best clause similarity of each narrative to the prototypes."""
    out = []
    for text in narratives:
        spans = rules._clause_bounds(text.upper())
        out.append(max([rules.net.similarity(text[a:b]) for a, b in spans if text[a:b].strip()] or [0.0]))
    return np.array(out)


def main() -> None:
    """Print recall and false fires by threshold; with --write, store the chosen threshold."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-false-fire", type=float, default=0.01)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rules = RuleSet.load()
    positives = [text for text, _ in hand_written.CASES]
    negatives = hand_written.NOT_RED_LINE
    worded = np.array([bool(rules.evaluate(t).red_lines and any(h.rule_id != rules.net.rule_id
                                                                  for h in rules.evaluate(t).red_lines))
                       for t in positives])
    pos, neg = net_scores(rules, positives), net_scores(rules, negatives)
    held_danger, held_crisis = net_scores(rules, plain_english.DANGEROUS), net_scores(rules, plain_english.CRISIS)
    grid = np.round(np.arange(0.40, 0.91, 0.02), 2)
    print(f"{'threshold':>9} {'net recall':>10} {'rules+net':>9} {'false fire':>10} | held-out danger / crisis")
    chosen = None
    for th in grid:
        fp = float((neg >= th).mean())
        if chosen is None and fp <= args.max_false_fire:
            chosen = float(th)
        print(f"{th:9.2f} {float((pos >= th).mean()):10.3f} {float(((pos >= th) | worded).mean()):9.3f} {fp:10.3f} | "
              f"{float((held_danger >= th).mean()):.2f} / {float((held_crisis >= th).mean()):.2f}")
    limit = f"{args.max_false_fire:.0%}"
    print(f"chosen threshold {chosen} (lowest with false fires <= {limit} on {len(neg)} crisis calls)")
    if args.write and chosen is not None:
        path = Path(rules.source if rules.source.startswith("/") else
                    Path(__file__).resolve().parents[2] / "src" / rules.source)
        text = path.read_text("utf-8")
        head, _, tail = text.partition("[semantic_net]")
        tail = re.sub(r"(?m)^threshold = .*$", f"threshold = {chosen}", tail, count=1)
        path.write_text(head + "[semantic_net]" + tail, "utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()

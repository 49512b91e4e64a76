"""Benchmark: the fact reader on the hand-written corpus, per danger fact and register.

Run with ``python tests/benchmarks/fact_table.py [--split held_out|dev]``. The corpus names the red line that
must fire for part of its dangerous calls (``expected_rule``); for the danger fact read by that rule this gives
recall (calls naming the rule on which the fact is read present) and, against every crisis call of the split,
precision in the danger direction (of the calls on which the fact is read present, the share that need
police). Every other fact is scored for precision on the calls whose facts were judged by hand (the corpus'
``facts`` column: a sample of the reader's present readings on the held-out half).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from callroute.data.golden import GoldenCalls
from callroute.facts import FactReader

CORPUS = Path(__file__).parents[1] / "fixtures" / "handwritten" / "calls.csv"


def main(split: str) -> None:
    """Print recall and precision of each danger fact, by register."""
    calls = [c for c in GoldenCalls.read(CORPUS).split(split) if c.expected_route != "any"]
    reader = FactReader()
    rule_to_fact = {f.red_line: f.id for f in reader.catalogue.facts if f.red_line}
    readings = {c.id: reader.read(c.narrative) for c in calls}
    print(f"## danger facts on the {split} half ({len(calls)} calls)")
    print("| fact | register | recall (calls naming its rule) | precision (read present: need police) |")
    print("|---|---|---|---|")
    for rule, fact in rule_to_fact.items():
        rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # hit, labelled, police among read, read
        for call in calls:
            present = fact in readings[call.id] and readings[call.id][fact].state == "present"
            for register in (call.register, "all"):
                row = rows[register]
                if call.expected_rule == rule:
                    row[0] += present
                    row[1] += 1
                if present:
                    row[2] += call.expected_route == "police"
                    row[3] += 1
        for register in sorted(rows, key=lambda r: (r != "all", r)):
            hit, labelled, right, read = rows[register]
            if not labelled and not read:
                continue
            recall = f"{hit}/{labelled} ({hit / labelled:.2f})" if labelled else "-"
            precision = f"{right}/{read} ({right / read:.2f})" if read else "-"
            print(f"| {fact} | {register} | {recall} | {precision} |")
    judged_precision(calls, readings)
    counts = Counter(f for r in readings.values() for f, v in r.items() if v.state == "present")
    crisis = Counter(f for c in calls if c.expected_route == "crisis_team" for f, v in readings[c.id].items()
                     if v.state == "present")
    print("\nother facts read present (all calls / crisis calls):",
          ", ".join(f"{f} {counts[f]}/{crisis[f]}" for f in sorted(counts) if f not in rule_to_fact.values()))


def judged_precision(calls, readings) -> None:
    """Precision of every fact on the calls whose facts were judged by hand (``facts`` column), by register.

    The judged calls are a sample of the reader's present readings (at most 12 per fact, issue 22), so this
    is precision: of the judged calls on which the fact is read present now, the share judged to state it.
    """
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for call in calls:
        for fact, state in call.facts.items():
            reading = readings[call.id].get(fact)
            if reading is None or reading.state != "present":
                continue
            for register in (call.register, "all"):
                rows[fact][register][0] += state == "present"
                rows[fact][register][1] += 1
    print("\n## every fact, on the calls judged by hand: precision (judged to state it / read present)")
    print("| fact | all | by register |")
    print("|---|---|---|")
    for fact in sorted(rows):
        right, read = rows[fact]["all"]
        parts = ", ".join(f"{r} {a}/{b}" for r, (a, b) in sorted(rows[fact].items()) if r != "all")
        print(f"| {fact} | {right}/{read} ({right / read:.2f}) | {parts} |")


if __name__ == "__main__":
    main("dev" if "--split=dev" in sys.argv or "dev" in sys.argv[1:] else "held_out")

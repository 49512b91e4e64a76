"""The call-taker's screening answers applied to the facts read from the narrative (an intervention on the facts).

Under-triage is the costly error, so the rules are asymmetric:

* ``yes`` sets each fact the question answers (source ``screening``); a danger question answered yes is a red
  line (``screening.<question>``), unless it is the officer request and that rule is switched off;
* ``no`` clears a fact the narrative only suggests (it becomes denied, source ``screening``); a danger the
  narrative states outright (its red line fired, or the medical flag) stands, and the disagreement is named
  with both pieces of evidence so the call is reviewed;
* ``unknown`` marks a fact unknown unless the narrative states it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from callroute.facts import DENIED, PRESENT, UNKNOWN, Catalogue, Reading
from callroute.schema import RuleHit, Screening

#: Questions whose yes is a red line, with the red-line rule that stands for the same danger in the text.
DANGER_QUESTIONS = {
    "weapons": "weapon.present",
    "violence_now": "violence.in_progress",
    "threat_to_others": "violence.in_progress",
    "self_harm_means": "suicide.active",
    "officer_requested": "officer.requested",
}


@dataclass
class Screened:
    """The facts after the answers, the red lines the answers add, and the answers the narrative contradicts."""

    readings: dict[str, Reading]
    red_lines: list[RuleHit] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def apply_screening(readings: dict[str, Reading], screening: Screening | None, catalogue: Catalogue, *,
                    text_red_lines: dict[str, str], text_flags: dict[str, str], disabled: frozenset[str]) -> Screened:
    """The readings with the answers applied (a new dict; ``readings`` is left as it was).

    ``text_red_lines`` and ``text_flags`` are the rules that fired on the narrative (rule id -> evidence).
    """
    out = Screened(dict(readings))
    if screening is None:
        return out
    for question, answer in screening.answered():
        evidence = f"call-taker: {question.replace('_', ' ')}: {answer}"
        facts = catalogue.for_question(question)
        if answer == "yes":
            for fact in facts:
                out.readings[fact.id] = Reading(fact.id, PRESENT, evidence, source="screening")
            rule = DANGER_QUESTIONS.get(question)
            if rule is not None and rule not in disabled:
                out.red_lines.append(RuleHit(rule_id=f"screening.{question}", evidence=evidence))
            continue
        outright = _stated_outright(question, text_red_lines, text_flags)
        if outright is not None and answer == "no":
            label = " and ".join(f.label for f in facts)
            out.conflicts.append(
                f"The call-taker answered {question.replace('_', ' ')} {answer!r}, but the narrative states "
                f"{label}: \"{outright}\"; the narrative's danger stands."
            )
            continue
        if outright is not None:
            continue  # "unknown" leaves a danger the narrative states as it is
        for fact in facts:
            text = readings.get(fact.id)
            if answer == "no":
                out.readings[fact.id] = Reading(fact.id, DENIED, evidence, source="screening")
            elif text is None or text.state != PRESENT:
                out.readings[fact.id] = Reading(fact.id, UNKNOWN, evidence, source="screening")
    # Keep the catalogue's order, as the reader gives it.
    out.readings = {f.id: out.readings[f.id] for f in catalogue.facts if f.id in out.readings}
    return out


def _stated_outright(question: str, text_red_lines: dict[str, str], text_flags: dict[str, str]) -> str | None:
    """The narrative's evidence when it states the question's danger outright (its red line or the medical flag)."""
    if question == "medical_emergency":
        return text_flags.get("medical.emergency")
    rule = DANGER_QUESTIONS.get(question)
    return text_red_lines.get(rule) if rule is not None else None

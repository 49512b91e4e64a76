"""The outcome model: the latent state of each call, its exact escalation risk, and history as recorded.

Escalation is drawn from the latent state plus structured fields (call type, hour,
premise history, caller type, district, year) and a factor nobody observes;
``true_risk`` is the exact probability used, so the gap between a trained model and
the best possible one can be measured. ``true_risk`` is never a feature.

History is recorded as it happened: a past dispatch policy chose the responder (mostly
police before the crisis program started in 2022), and outcome columns are observed
under that responder; arrests happen mostly where police went (DOMAIN.md, "Labels").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from callroute.data.synth.profiles import CallTypeProfile, Profiles
from callroute.schema import CALLER_TYPES


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class LatentCalls:
    """The hidden state and structured fields of a chunk of calls (one array entry per call)."""

    profiles: list[CallTypeProfile]
    district_idx: np.ndarray
    caller_idx: np.ndarray
    prior_calls: np.ndarray
    weapon: np.ndarray
    mental: np.ndarray
    intox: np.ndarray
    violence: np.ndarray
    agitation: np.ndarray
    threat_others: np.ndarray
    insists: np.ndarray
    medical: np.ndarray
    true_risk: np.ndarray
    escalated: np.ndarray
    priority: np.ndarray
    program_share: np.ndarray  # share of eligible calls the past crisis program took at that time
    policy_draw: np.ndarray
    missing: np.ndarray  # (n, 4): district, caller type, priority, premise history left blank


def year_mix(profiles: Profiles, year_offset: float) -> np.ndarray:
    """Share of each call type ``year_offset`` years after the start (types grow at their own rate)."""
    weights = np.array([p.weight * (1 + p.growth) ** year_offset for p in profiles.call_types])
    return weights / weights.sum()


def draw_latent(rng: np.random.Generator, profiles: Profiles, year_offset: np.ndarray,
                hours: np.ndarray) -> LatentCalls:
    """Draw the latent state, the exact risk and the escalation of each call."""
    n = len(year_offset)
    types = profiles.call_types
    mix_by_year = np.stack([year_mix(profiles, y) for y in range(5)])
    type_idx = np.array([rng.choice(len(types), p=mix_by_year[int(y)]) for y in year_offset])
    chosen = [types[i] for i in type_idx]
    district_idx = rng.choice(len(profiles.districts), size=n, p=profiles.district_weight)
    caller_idx = rng.choice(len(CALLER_TYPES), size=n, p=profiles.caller_weight)
    prior_calls = rng.poisson(profiles.district_prior_rate[district_idx] * rng.gamma(1.0, 1.0, size=n))

    p_weapon = np.array([p.p_weapon for p in chosen]) * (1 + 0.15 * np.minimum(prior_calls, 6))
    weapon = rng.random(n) < p_weapon
    mental = rng.random(n) < np.array([p.p_mental for p in chosen])
    intox = rng.random(n) < np.array([p.p_intox for p in chosen])
    violence = rng.random(n) < np.array([p.p_violence for p in chosen])
    agitation = rng.normal(np.array([p.agitation_shift for p in chosen]) + 0.6 * violence, 1.0)
    threat_others = (rng.random(n) < 0.03 + 0.05 * (agitation > 1.2)) & ~violence
    insists = rng.random(n) < 0.02
    medical = rng.random(n) < 0.02 + 0.05 * intox
    night = (hours >= 22) | (hours < 5)
    hidden = rng.normal(0.0, 0.6, size=n)  # what nobody on the phone could know

    logit = (
        np.array([p.base_logit for p in chosen])
        + 2.4 * weapon
        + (0.75 + 0.08 * year_offset) * agitation  # agitation matters more as harder calls come in
        + 0.9 * intox * night  # drunk at night: the interaction a keyword list cannot see
        + 0.45 * (mental & (agitation > 1.0))
        + 0.30 * np.log1p(prior_calls)
        + 2.0 * violence
        + 1.6 * threat_others
        + 0.9 * insists
        + profiles.caller_logit[caller_idx]
        + profiles.district_logit[district_idx]
        + 0.12 * (year_offset - 2.0)  # rates drift upward as the program takes harder calls
        + hidden
    )
    true_risk = sigmoid(logit)
    escalated = rng.random(n) < true_risk
    priority = np.clip(
        3 - 1 * (weapon & (rng.random(n) < 0.5)) - 1 * violence - 1 * (agitation > 1.3) + rng.integers(0, 2, n), 1, 4
    )
    # The past dispatch policy (from 2022 a crisis program took a growing share of eligible calls).
    program_share = np.clip((year_offset - 1.0) * 0.3, 0.0, 0.6)
    policy_draw = rng.random(n)
    missing = rng.random((n, len(profiles.missing_rate))) < profiles.missing_rate
    return LatentCalls(chosen, district_idx, caller_idx, prior_calls, weapon, mental, intox, violence, agitation,
                       threat_others, insists, medical, true_risk, escalated, priority, program_share, policy_draw,
                       missing)


# Call-takers screen out calls with safety concerns (STAR's criteria): any of these cues means police.
POLICE_CUES = frozenset({"weapon_explicit", "violence", "threat_others", "insists", "agitated"})


def past_responder(profile: CallTypeProfile, cues: list[str], program_share: float, draw: float) -> str:
    """Who the past policy sent: police unless the type was eligible and the narrative reported no danger."""
    if not profile.crisis_eligible or POLICE_CUES.intersection(cues):
        return "police"
    if draw < program_share:
        return "crisis_team"
    return "both" if draw < program_share + 0.08 else "police"


def observe_outcome(escalated: bool, weapon: bool, responder: str, rng: random.Random) -> dict:
    """Outcome columns as observed under the responder that was actually sent."""
    weapon_found = violence = backup = injury = 0
    if escalated:
        if weapon and rng.random() < 0.8:
            weapon_found = 1
        if rng.random() < 0.45:
            violence = 1
        if responder == "crisis_team":
            backup = 1  # the crisis team called for police
        if rng.random() < 0.15:
            injury = 1
        if not (weapon_found or violence or backup or injury):
            violence = 1
    police_present = responder in ("police", "both")
    arrest_p = (0.12 + 0.55 * escalated) if police_present else (0.35 * escalated)
    arrest = int(rng.random() < arrest_p)
    if arrest:
        disposition = "ARREST"
    elif escalated:
        disposition = "REPORT TAKEN"
    else:
        disposition = rng.choice(("RESOURCES PROVIDED", "ADVISED", "GOA", "TRANSPORT TO HOSPITAL", "UNFOUNDED",
                                  "REFERRED TO SERVICES"))
    return {"weapon_found": weapon_found, "violence": violence, "backup_requested": backup, "injury": injury,
            "arrest": arrest, "disposition": disposition}


def call_type_string(profile: CallTypeProfile, year_offset: float, rng: random.Random) -> str:
    """The CAD string for the type: the newer coding takes over during 2023 (wording drift)."""
    current_share = 1.0 / (1.0 + np.exp(-2.5 * (year_offset - 2.0)))
    codes = profile.current_codes if rng.random() < current_share else profile.legacy_codes
    strings, counts = zip(*codes, strict=True)
    return rng.choices(strings, weights=counts)[0]


def final_type(profile: CallTypeProfile, outcome: dict, year_offset: float, rng: random.Random) -> str:
    """The call type as closed: it often records what was found (after the fact, never a feature)."""
    if outcome["weapon_found"]:
        return "--WEAPON, PERSON WITH - OTHER WEAPON"
    if outcome["violence"]:
        return "ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)"
    return call_type_string(profile, year_offset, rng)

"""Synthetic CAD call records with a known escalation probability.

Every row is drawn from a latent model of the call (is there really a weapon, how
agitated is the person, are they intoxicated, in a mental-health crisis, ...). The
narrative is written by a simulated caller and call-taker who only *partly* see
that state: a weapon can go unreported, a "NEG WPNS" can be wrong, cues come in
CAD shorthand or in plain sentences, with typos and appended updates. Escalation
is drawn from the latent state plus structured fields (call type, hour, premise
history, caller type, district, year) and a factor nobody observes, and
``true_risk`` holds the exact probability used, so the gap between a trained model
and the best possible one can be measured. ``true_risk`` is never a feature.

History is recorded as it happened: a past dispatch policy chose the responder
(mostly police before the crisis program started in 2022), and outcome columns are
observed under that responder; arrests happen mostly where police went
(DOMAIN.md, "Labels").

Base rates (sources in DOMAIN.md): escalation among calls a crisis team would take
is meant to sit in the 0.5-6% range the programs report (CAHOOTS 0.6%, LA UMCR
<4.1%, B-HEARD 6.5%); among all calls routed here it is far higher, as Seattle's
crisis records show (6.8% overall, disturbance 16%, assault 11-28%).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from callroute.schema import CALLER_TYPES

OUTCOME_COLUMNS = ("weapon_found", "violence", "backup_requested", "injury", "arrest", "disposition")
AFTER_THE_FACT_COLUMNS = (*OUTCOME_COLUMNS, "responder", "final_call_type", "true_risk")
COLUMNS = (
    "call_id",
    "received_at",
    "call_type",
    "district",
    "caller_type",
    "priority",
    "location_prior_calls",
    "narrative",
    "responder",
    "weapon_found",
    "violence",
    "backup_requested",
    "injury",
    "arrest",
    "disposition",
    "final_call_type",
    "true_risk",
)

START = datetime(2021, 1, 1)
END = datetime(2025, 1, 1)
DISTRICTS = ("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL", "HARBOR")
#: Share of rows with district, caller type, priority, premise history left blank.
MISSING_RATE = (0.01, 0.04, 0.03, 0.08)


@dataclass(frozen=True)
class CallTypeProfile:
    """How calls of one type look and behave in the latent model."""

    key: str  # the generator's own name for the type (selects narrative openers)
    legacy_codes: tuple[tuple[str, int], ...]  # Seattle call-type strings of the older CAD coding, with counts
    current_codes: tuple[tuple[str, int], ...]  # the strings that replace them (2023 on, mostly)
    growth: float  # relative change of the type's share per year
    base_logit: float  # escalation log-odds of a calm, sober, unarmed, first-time call (tuned, see below)
    p_weapon: float  # chance a weapon is really there
    p_mental: float
    p_intox: float
    p_violence: float  # chance person-on-person violence is going on when the call comes in
    agitation_shift: float
    crisis_eligible: bool  # on Denver STAR's eligible list (DOMAIN.md): the past policy could send a crisis team

    @property
    def weight(self) -> int:
        """Seattle calls of this type, about 2014-2019 (the mix of types in 2021)."""
        return sum(count for _, count in self.legacy_codes + self.current_codes)


# Call-type strings and relative counts: Seattle rows of the Vera/Two Sigma call-type
# taxonomy (shared/data/vera-911-taxonomy/CallTypes.csv, MIT). Seattle's export holds an
# older "--" coding and a newer one side by side; the generator moves from the first to
# the second over 2021-2024, a wording drift a time split must cope with.
# base_logit is tuned (tests/benchmarks/tune_synth.py) so escalation by type lands on:
# welfare 1% (Seattle crisis records: welfare check 0 of 33; CAHOOTS 0.6% backup),
# intoxicated 2.5%, behavioural crisis 3% (Seattle 2.2% arrest/force), suicidal 2.5%
# (Seattle 1.9%), disturbance 16% (Seattle 16%), assault 28% (Seattle 11-28%), DV 22%,
# threats 15%, and 1.5-5% for the low-level types (trespass, exposure, narcotics,
# suspicious person, noise); shared/DOMAIN.md names the sources.
CALL_TYPES: tuple[CallTypeProfile, ...] = (
    CallTypeProfile("WELFARE CHECK", (("SERVICE - WELFARE CHECK", 39023),), (("SERVICE - WELFARE CHECK", 1),),
                    0.00, -5.58, 0.015, 0.30, 0.15, 0.00, -0.3, True),
    CallTypeProfile("647F INTOXICATED PERSON", (("--INTOX & LIQ VIOLS - INTOXICATED PERSON", 22538),),
                    (("DOWN - CHECK FOR PERSON DOWN", 30489),), 0.00, -5.11, 0.02, 0.10, 0.95, 0.00, 0.0, True),
    CallTypeProfile("5150 MENTAL HEALTH CRISIS", (("--CRISIS COMPLAINT - GENERAL", 86193),),
                    (("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", 18918), ("MENTAL - PERSON OR PICKUP/TRANSPORT", 6931)),
                    0.10, -5.37, 0.05, 0.95, 0.20, 0.01, 0.3, True),
    CallTypeProfile("SUICIDAL PERSON", (("SUICIDE, SUICIDAL PERSON AND ATTEMPTS", 5856),),
                    (("SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS", 26625),), 0.08, -5.29, 0.07, 0.90, 0.25, 0.00,
                    0.0, True),
    CallTypeProfile("415 DISTURBANCE", (("--DISTURBANCE - OTHER", 277713),),
                    (("DISTURBANCE, MISCELLANEOUS/OTHER", 193775),), -0.03, -3.45, 0.06, 0.25, 0.35, 0.08, 0.5, True),
    CallTypeProfile("602 TRESPASS", (("--PROWLER - TRESPASS", 89079),), (("TRESPASS", 68048),), 0.00, -4.77, 0.03,
                    0.30, 0.30, 0.00, 0.0, True),
    CallTypeProfile("314 INDECENT EXPOSURE", (("--SEX OFFENSES (NON-RAPE) - LEWD CONDUCT", 6851),),
                    (("LEWD - (EXPOSING, FLASHING, URINATING IN PUB)", 13396),), 0.00, -4.89, 0.01, 0.50, 0.20, 0.00,
                    -0.2, True),
    CallTypeProfile("NARCOTICS / SYRINGE DISPOSAL", (("--NARCOTICS - OTHER", 40225),),
                    (("NARCOTICS - VIOLATIONS (LOITER, USE, SELL, NARS)", 58113),), 0.00, -4.9, 0.03, 0.10, 0.60,
                    0.00, -0.3, True),
    CallTypeProfile("SUSPICIOUS PERSON", (("--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON", 323796),),
                    (("SUSPICIOUS PERSON, VEHICLE OR INCIDENT", 245002),), -0.02, -4.2, 0.05, 0.20, 0.20, 0.00, 0.0,
                    False),
    CallTypeProfile("NOISE COMPLAINT", (("--DISTURBANCE - NOISE", 68703),),
                    (("NOISE - DISTURBANCE (PARTY, ETC)", 32620),),
                    0.00, -5.11, 0.01, 0.05, 0.40, 0.00, -0.2, False),
    CallTypeProfile("DOMESTIC DISTURBANCE", (("--DV - ARGUMENTS, DISTURBANCE (NO ARREST)", 45251),),
                    (("DIST - DV - NO ASLT", 35213), ("DIST - IP/JO - DV DIST - NO ASLT", 33547)), 0.00, -4.05, 0.10,
                    0.15, 0.40, 0.30, 0.8, False),
    CallTypeProfile("ASSAULT", (("--ASSAULTS, OTHER", 51953),),
                    (("ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)", 37427),
                     ("ASLT - WITH OR W/O WEAPONS (NO SHOOTINGS)", 31143)), 0.00, -4.31, 0.18, 0.10, 0.35, 0.45, 0.9,
                    False),
    CallTypeProfile("THREATS", (("--ASSAULTS - HARASSMENT, THREATS", 29351),),
                    (("THREATS (INCLS IN-PERSON/BY PHONE/IN WRITING)", 33828),), 0.00, -4.07, 0.15, 0.20, 0.20, 0.05,
                    0.8, False),
)

# District mixes and premise histories differ, so per-district audits have something to find.
DISTRICT_WEIGHT = np.array([0.18, 0.22, 0.15, 0.14, 0.21, 0.10])
DISTRICT_LOGIT = np.array([-0.15, 0.20, 0.0, -0.20, 0.10, 0.25])
DISTRICT_PRIOR_RATE = np.array([0.6, 1.4, 0.8, 0.5, 1.8, 1.1])
CALLER_WEIGHT = np.array([0.08, 0.26, 0.34, 0.14, 0.09, 0.07, 0.02])  # order of schema.CALLER_TYPES
CALLER_LOGIT = np.array([-0.3, -0.2, 0.0, 0.25, -0.1, 0.15, 0.0])
# Hour-of-day intake profile (calls peak in the afternoon and evening).
HOUR_WEIGHT = np.array([3, 2.5, 2, 1.5, 1.2, 1.2, 1.5, 2.5, 3.5, 4, 4.5, 4.8, 5, 5, 5.2, 5.5, 5.8, 6, 6, 5.8, 5.4,
                        5, 4.5, 3.8])

RELATIONS = ("SON", "DAUGHTER", "BROTHER", "SISTER", "NEIGHBOR", "MOTHER", "FATHER", "ROOMMATE", "TENANT",
             "CUSTOMER", "UNK SUBJ", "HUSBAND", "WIFE", "FRIEND")
PLACES = ("IFO 7-11", "AT BUS STOP", "IN LOBBY", "BEHIND BLDG", "IN PARKING LOT", "AT PARK BENCH", "IN ALLEY",
          "AT LIGHT RAIL STN", "OUTSIDE LIBRARY", "IN DOORWAY", "AT ENCAMPMENT", "IN APT", "ON SIDEWALK",
          "IN RESTROOM", "AT GAS STN")
RACE_SEX = ("W/M", "B/M", "H/M", "A/M", "W/F", "B/F", "H/F", "A/F", "U/M")
CLOTHING = ("WRG BLK HOODIE", "WRG RED JACKET", "GRY SWEATS", "NO SHIRT", "BLU JEANS WHT SHOES", "CAMO PANTS",
            "WRG BACKPACK")

# Each cue: CAD shorthand variants and plain-English variants a different call-taker would type.
OPENERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "WELFARE CHECK": (("RP REQ WELFARE CHECK ON {rel}", "CHK WELFARE OF {rel} {place}",
                       "RP CONCERNED FOR {rel}, NOT ANSWERING PHONE", "WELF CHK {place}",
                       "ELDERLY SUBJ {place} APPEARS CONFUSED", "SUBJ DISORIENTED {place}",
                       "SUBJ SITTING {place} FOR HRS"),
                      ("Caller asks for a welfare check on their {rel_l}",
                       "Caller is worried about a person {place_l}",
                       "An elderly person seems lost and confused {place_l}")),
    "647F INTOXICATED PERSON": (("647F SUBJ {place}", "RP STS INTOX SUBJ {place}", "SUBJ PASSED OUT {place}",
                                 "DRUNK SUBJ STUMBLING {place}"),
                                ("Intoxicated person {place_l}", "Caller reports a drunk man {place_l}")),
    "5150 MENTAL HEALTH CRISIS": (("5150 SUBJ {place}", "RP STS {rel} HAVING MENTAL EPISODE",
                                   "SUBJ ACTING ERRATIC {place}", "RP STS {rel} NOT MAKING SENSE"),
                                  ("Caller says their {rel_l} is having a mental health crisis",
                                   "Person acting strangely {place_l}")),
    "SUICIDAL PERSON": (("RP STS {rel} SUICIDAL", "SUBJ TEXTED RP WANTS TO DIE", "SUICIDAL SUBJ {place}",
                         "3RD PTY RPT OF SUICIDAL SUBJ"),
                        ("Caller's {rel_l} said they want to end their life",
                         "Caller worried their {rel_l} may hurt themselves")),
    "415 DISTURBANCE": (("415 SUBJ {place}", "RP STS SUBJ YELLING AT CUSTOMERS {place}",
                         "415 VERBAL {place}", "DISTURBANCE {place}"),
                        ("Disturbance {place_l}", "Caller reports a man shouting {place_l}")),
    "602 TRESPASS": (("602 SUBJ REFUSING TO LEAVE {place}", "RP STS SUBJ SLEEPING {place}, WANTS GONE",
                      "TRESPASSER {place}"),
                     ("Caller wants someone removed from the property, {place_l}",)),
    "314 INDECENT EXPOSURE": (("314 SUBJ {place}", "SUBJ EXPOSING SELF {place}"),
                              ("Person exposing themselves {place_l}",)),
    "NARCOTICS / SYRINGE DISPOSAL": (("NEEDLES ON GROUND {place}", "SUBJ USING NARCS {place}",
                                      "RP REQ SYRINGE PICKUP {place}"),
                                     ("Caller found used needles {place_l}",)),
    "SUSPICIOUS PERSON": (("SUSP SUBJ {place}", "RP STS SUBJ LOOKING INTO CARS {place}",
                           "SUBJ LOITERING {place}"),
                          ("Suspicious person {place_l}", "Caller sees someone going door to door")),
    "NOISE COMPLAINT": (("LOUD MUSIC {place}", "RP STS NEIGHBOR PARTY LOUD", "NOISE COMP {place}"),
                        ("Caller complains about loud music next door",)),
    "DOMESTIC DISTURBANCE": (("DV {place}", "RP STS {rel} YELLING AT HER", "415 FAMILY",
                              "RP HEARS ARGUING NEXT DOOR"),
                             ("Caller reports a domestic argument with her {rel_l}",)),
    "ASSAULT": (("RP STS SUBJ ASSAULTED HIM {place}", "ASSLT JUST OCCURRED {place}", "RP WAS PUNCHED {place}"),
                ("Caller says he was assaulted {place_l}",)),
    "THREATS": (("RP STS {rel} THREATENED HIM", "THREATS BY NEIGHBOR", "SUBJ MAKING THREATS {place}"),
                ("Caller received threats from their {rel_l}",)),
}

CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agitated": (("SUBJ YELLING", "AGGRESSIVE", "SUBJ COMBATIVE", "BREAKING THINGS", "PACING AND SCREAMING",
                  "SUBJ VERY AGITATED", "PUNCHING WALLS", "GETTING IN PPLS FACES"),
                 ("He is very agitated and screaming", "She is getting aggressive with people",
                  "He is throwing things around")),
    "upset": (("SUBJ UPSET", "ARGUING W/ RP", "VERBAL ONLY", "CRYING"),
              ("He is upset but only yelling", "It is verbal only")),
    "calm": (("SUBJ CALM", "COOPERATIVE", "SUBJ QUIET", "SITTING ON GROUND", "NO THREATS MADE", "CONFUSED",
              "NOT BOTHERING ANYONE"),
             ("She is calm and sitting down", "He is quiet and not bothering anyone")),
    "intox": (("ETOH", "POSS UNDER INFLUENCE", "SMELLS OF ETOH", "APPEARS INTOX", "SLURRING WORDS"),
              ("He seems drunk", "She appears to be high")),
    "mental": (("HX 5150", "OFF MEDS", "HEARING VOICES", "TALKING TO SELF", "PARANOID", "HX BIPOLAR",
                "DELUSIONAL"),
               ("He has schizophrenia and stopped his medication", "She thinks people are following her")),
    "suicidal": (("SI", "STS WANTS TO DIE", "PREV ATTEMPTS"),
                 ("He said he wants to die",)),
    "denies_si": (("DENIES SI", "NEG SI"), ("She denies wanting to hurt herself",)),
    "weapon_explicit": (("SUBJ HAS KNIFE", "SUBJ ARMED W/ BAT", "RP SAW GUN IN WAISTBAND", "WAVING KNIFE",
                         "HOLDING A MACHETE", "SUBJ HAS A GUN"),
                        ("He has a knife in his hand", "Caller saw a gun in his waistband")),
    "weapon_hint": (("SOMETHING IN HIS HAND", "RP THINKS SUBJ HAS SOMETHING IN POCKET", "UNK WPNS",
                     "POSS WPN IN BAG", "HAND IN JACKET"),
                    ("Caller isn't sure if he has anything on him", "Something shiny in his hand")),
    "weapon_negated": (("NEG WPNS", "NO WEAPONS SEEN", "DENIES WPNS", "WPNS: NEG", "NO WPNS"),
                       ("No weapons seen", "Caller does not see any weapons")),
    "violence": (("SUBJ HITTING RP", "FIGHT IN PROGRESS", "SUBJ PUNCHING VICTIM", "HE IS BEATING HER NOW"),
                 ("He is hitting her right now",)),
    "insists": (("RP WANTS PD", "RP INSISTS ON AN OFFICER", "REQ POLICE ONLY"),
                ("Caller insists on a police officer",)),
    "threat_others": (("SUBJ THREATENING TO KILL RP", "STS WILL KILL NEIGHBOR"),
                      ("He said he will kill his neighbor",)),
    "history_violence": (("PREMISE HX DV", "PRIOR CALLS FOR ASSLT AT LOC", "HX OF VIOLENCE"),
                         ("There have been fights at this address before",)),
    "medical": (("SUBJ UNRESP", "POSS OD", "DIFF BREATHING"), ("He is not responding",)),
    "filler": (("RP WILL MEET", "RP WAITING OUTSIDE", "CALLBACK #", "NO FURTHER", "NFD", "RP ANON",
                "SUBJ KNOWN TO RP"),
               ("Caller will wait nearby",)),
}

UPDATES_ESCALATING = ("UPDT: SUBJ NOW YELLING AT RP", "UPDT: RP STS SUBJ GETTING MORE AGITATED",
                      "UPDT: SUBJ THREW BOTTLE", "UPDT: SUBJ FOLLOWING RP")
UPDATES_CALM = ("UPDT: SUBJ SAT DOWN", "UPDT: SUBJ CALMER NOW", "UPDT: RP STS SUBJ WALKED AWAY SLOWLY")
UPDATES_WEAPON = ("UPDT: RP NOW STS SUBJ HAS KNIFE", "UPDT: RP SEES GUN")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _typo(word: str, rng: random.Random) -> str:
    """A plausible keyboard slip: a swapped, dropped or doubled letter."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


class _Writer:
    """Writes narratives the way a given call-taker would."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def phrase(self, options: tuple[tuple[str, ...], tuple[str, ...]], plain: bool) -> str:
        short, long = options
        return self.rng.choice(long if plain and long else short)

    def fill(self, template: str, plain: bool) -> str:
        rel = self.rng.choice(RELATIONS)
        place = self.rng.choice(PLACES)
        return template.format(rel=rel, place=place, rel_l=rel.lower(), place_l=place.lower())

    def finish(self, parts: list[str], plain: bool, typo_rate: float) -> str:
        if plain:
            text = ". ".join(p[0].upper() + p[1:] for p in parts) + "."
        else:
            sep = self.rng.choice((", ", " ", ". ", "; "))
            text = sep.join(parts).upper()
        words = text.split(" ")
        words = [_typo(w, self.rng) if self.rng.random() < typo_rate else w for w in words]
        return " ".join(words)


def _narrative(row: dict, rng: random.Random) -> tuple[str, list[str]]:
    """Compose the narrative a call-taker would type for the latent state in ``row``; also return its cues."""
    w = _Writer(rng)
    plain = rng.random() < 0.25  # a quarter of call-takers write plain sentences
    profile: CallTypeProfile = row["profile"]
    parts = [w.fill(w.phrase(OPENERS[profile.key], plain), plain)]
    if rng.random() < 0.6:
        parts.append(f"{rng.choice(RACE_SEX)} {rng.choice(('20S', '30S', '40S', '50S', '60S', 'TEEN', 'ELDERLY'))}")
    if rng.random() < 0.3:
        parts.append(rng.choice(CLOTHING))
    cues: list[str] = []
    agitation = row["agitation"]
    if agitation > 1.0 and rng.random() < 0.75:
        cues.append("agitated")
    elif agitation > 0.2 and rng.random() < 0.5:
        cues.append("upset")
    elif agitation < -0.4 and rng.random() < 0.55:
        cues.append("calm")
    if rng.random() < 0.06:  # callers misjudge: a cue that contradicts the latent state
        cues.append(rng.choice(("agitated", "calm")))
    if row["intox"] and rng.random() < 0.7:
        cues.append("intox")
    if row["mental"] and rng.random() < 0.65:
        cues.append("mental")
    if profile.key == "SUICIDAL PERSON" or (row["mental"] and rng.random() < 0.15):
        cues.append("suicidal" if rng.random() < 0.6 else "denies_si")
    if row["weapon"]:
        draw = rng.random()
        if draw < 0.40:
            cues.append("weapon_explicit")
        elif draw < 0.62:
            cues.append("weapon_hint")
        elif draw < 0.70:
            cues.append("weapon_negated")  # the caller did not see it
    else:
        draw = rng.random()
        if draw < 0.35:
            cues.append("weapon_negated")
        elif draw < 0.40:
            cues.append("weapon_hint")
    if row["violence"] and rng.random() < 0.7:
        cues.append("violence")
    if row["threat_others"] and rng.random() < 0.7:
        cues.append("threat_others")
    if row["insists"]:
        cues.append("insists")
    if row["location_prior_calls"] >= 3 and rng.random() < 0.3:
        cues.append("history_violence")
    if row["medical"]:
        cues.append("medical")
    if rng.random() < 0.35:
        cues.append("filler")
    rng.shuffle(cues)
    parts.extend(w.phrase(CUES[c], plain) for c in cues)
    if rng.random() < 0.22:
        if row["weapon"] and rng.random() < 0.3:
            parts.append(rng.choice(UPDATES_WEAPON))
        elif agitation > 0.8:
            parts.append(rng.choice(UPDATES_ESCALATING))
        else:
            parts.append(rng.choice(UPDATES_CALM if agitation < 0.5 else UPDATES_ESCALATING))
    text = w.finish(parts, plain, typo_rate=0.02)
    return _drift_wording(text, row["year_offset"], rng), cues


# Wording drift: from mid-2023 call-takers increasingly type newer shorthand the older
# records never used, so a model trained on the past meets words it has not seen.
DRIFT_SYNONYMS = (
    ("AGGRESSIVE", "AGGRO"), ("COMBATIVE", "COMBATV"), ("UPSET", "DISTRAUGHT"), ("CALM", "CALM/COOP"),
    ("COOPERATIVE", "COOP"), ("PACING", "PACING BACK/FORTH"), ("DELUSIONAL", "PSYCHOTIC"),
    ("HEARING VOICES", "AUDITORY HALLUC"), ("SLURRING WORDS", "SLURRED SPEECH"), ("APPEARS INTOX", "APPEARS IMPAIRED"),
    ("YELLING", "SCREAMING"), ("OFF MEDS", "NONCOMPLIANT W/ MEDS"), ("QUIET", "SUBDUED"),
)


def _drift_wording(text: str, year_offset: float, rng: random.Random) -> str:
    share = min(max((year_offset - 2.5) / 1.5, 0.0), 0.8)
    if share <= 0.0:
        return text
    for old, new in DRIFT_SYNONYMS:
        if old in text and rng.random() < share:
            text = text.replace(old, new)
    return text


def _year_mix(year_offset: float) -> np.ndarray:
    weights = np.array([p.weight * (1 + p.growth) ** year_offset for p in CALL_TYPES])
    return weights / weights.sum()


def _call_type_string(profile: CallTypeProfile, year_offset: float, rng: random.Random) -> str:
    """The CAD string for the type: the newer coding takes over during 2023 (wording drift)."""
    current_share = 1.0 / (1.0 + np.exp(-2.5 * (year_offset - 2.0)))
    codes = profile.current_codes if rng.random() < current_share else profile.legacy_codes
    strings, counts = zip(*codes, strict=True)
    return rng.choices(strings, weights=counts)[0]


def generate_rows(n_rows: int, seed: int, *, chunk_size: int = 20_000) -> Iterator[dict]:
    """Yield ``n_rows`` synthetic calls in time order, deterministically for ``seed``."""
    # Arrival times drawn up front (8 bytes a row) and sorted, so rows stream in time order:
    # a uniform day, then a time of day following the intake profile HOUR_WEIGHT.
    time_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    n_days = (END - START).days
    day = time_rng.integers(0, n_days, size=n_rows)
    hour = time_rng.choice(24, size=n_rows, p=HOUR_WEIGHT / HOUR_WEIGHT.sum())
    minute = time_rng.integers(0, 60, size=n_rows)
    times = np.sort(day * 86400 + hour * 3600 + minute * 60)
    del day, hour, minute
    for chunk_start in range(0, n_rows, chunk_size):
        chunk_seed = np.random.SeedSequence([seed, chunk_start])
        rng = np.random.default_rng(chunk_seed)
        text_rng = random.Random(int(chunk_seed.generate_state(1)[0]))
        seconds = times[chunk_start : chunk_start + chunk_size]
        yield from _chunk(rng, text_rng, seconds, chunk_start)


def _chunk(rng: np.random.Generator, text_rng: random.Random, seconds: np.ndarray, offset: int) -> Iterator[dict]:
    n = len(seconds)
    year_offset = seconds / (365.25 * 86400)
    hours = (seconds % 86400) // 3600
    mix_by_year = np.stack([_year_mix(y) for y in range(5)])
    type_idx = np.array([rng.choice(len(CALL_TYPES), p=mix_by_year[int(y)]) for y in year_offset])
    profiles = [CALL_TYPES[i] for i in type_idx]
    district_idx = rng.choice(len(DISTRICTS), size=n, p=DISTRICT_WEIGHT)
    caller_idx = rng.choice(len(CALLER_TYPES), size=n, p=CALLER_WEIGHT)
    prior_calls = rng.poisson(DISTRICT_PRIOR_RATE[district_idx] * rng.gamma(1.0, 1.0, size=n))

    p_weapon = np.array([p.p_weapon for p in profiles]) * (1 + 0.15 * np.minimum(prior_calls, 6))
    weapon = rng.random(n) < p_weapon
    mental = rng.random(n) < np.array([p.p_mental for p in profiles])
    intox = rng.random(n) < np.array([p.p_intox for p in profiles])
    violence = rng.random(n) < np.array([p.p_violence for p in profiles])
    agitation = rng.normal(np.array([p.agitation_shift for p in profiles]) + 0.6 * violence, 1.0)
    threat_others = (rng.random(n) < 0.03 + 0.05 * (agitation > 1.2)) & ~violence
    insists = rng.random(n) < 0.02
    medical = rng.random(n) < 0.02 + 0.05 * intox
    night = (hours >= 22) | (hours < 5)
    hidden = rng.normal(0.0, 0.6, size=n)  # what nobody on the phone could know

    logit = (
        np.array([p.base_logit for p in profiles])
        + 2.4 * weapon
        + (0.75 + 0.08 * year_offset) * agitation  # agitation matters more as harder calls come in
        + 0.9 * intox * night  # drunk at night: the interaction a keyword list cannot see
        + 0.45 * (mental & (agitation > 1.0))
        + 0.30 * np.log1p(prior_calls)
        + 2.0 * violence
        + 1.6 * threat_others
        + 0.9 * insists
        + CALLER_LOGIT[caller_idx]
        + DISTRICT_LOGIT[district_idx]
        + 0.12 * (year_offset - 2.0)  # rates drift upward as the program takes harder calls
        + hidden
    )
    true_risk = _sigmoid(logit)
    escalated = rng.random(n) < true_risk
    priority = np.clip(
        3 - 1 * (weapon & (rng.random(n) < 0.5)) - 1 * violence - 1 * (agitation > 1.3) + rng.integers(0, 2, n), 1, 4
    )

    # The past dispatch policy (from 2022 a crisis program took a growing share of eligible calls):
    # police unless the type is on the eligible list and the narrative reported no weapon,
    # violence, threat or request for an officer.
    program_share = np.clip((year_offset - 1.0) * 0.3, 0.0, 0.6)
    policy_draw = rng.random(n)
    missing_draws = rng.random((n, len(MISSING_RATE))) < np.array(MISSING_RATE)
    for i in range(n):
        row = {
            "profile": profiles[i],
            "agitation": agitation[i],
            "year_offset": float(year_offset[i]),
            "intox": bool(intox[i]),
            "mental": bool(mental[i]),
            "weapon": bool(weapon[i]),
            "violence": bool(violence[i]),
            "threat_others": bool(threat_others[i]),
            "insists": bool(insists[i]),
            "medical": bool(medical[i]),
            "location_prior_calls": int(prior_calls[i]),
        }
        narrative, cues = _narrative(row, text_rng)
        responder = _past_responder(profiles[i], cues, float(program_share[i]), float(policy_draw[i]))
        outcome = _outcome(bool(escalated[i]), bool(weapon[i]), responder, text_rng)
        received = START + timedelta(seconds=int(seconds[i]))
        missing = missing_draws[i]
        yield {
            "call_id": f"C{offset + i + 1:08d}",
            "received_at": received.isoformat(timespec="minutes"),
            "call_type": _call_type_string(profiles[i], float(year_offset[i]), text_rng),
            # Real exports have gaps: fields left blank at intake (MISSING_RATE).
            "district": None if missing[0] else DISTRICTS[district_idx[i]],
            "caller_type": None if missing[1] else CALLER_TYPES[caller_idx[i]],
            "priority": None if missing[2] else int(priority[i]),
            "location_prior_calls": None if missing[3] else int(prior_calls[i]),
            "narrative": narrative,
            "responder": responder,
            **outcome,
            "final_call_type": _final_type(profiles[i], outcome, float(year_offset[i]), text_rng),
            "true_risk": round(float(true_risk[i]), 6),
        }


# Call-takers screen out calls with safety concerns (STAR's criteria): any of these cues means police.
_POLICE_CUES = frozenset({"weapon_explicit", "violence", "threat_others", "insists", "agitated"})


def _past_responder(profile: CallTypeProfile, cues: list[str], program_share: float, draw: float) -> str:
    if not profile.crisis_eligible or _POLICE_CUES.intersection(cues):
        return "police"
    if draw < program_share:
        return "crisis_team"
    return "both" if draw < program_share + 0.08 else "police"


def _outcome(escalated: bool, weapon: bool, responder: str, rng: random.Random) -> dict:
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


def _final_type(profile: CallTypeProfile, outcome: dict, year_offset: float, rng: random.Random) -> str:
    """The call type as closed: it often records what was found (after the fact, never a feature)."""
    if outcome["weapon_found"]:
        return "--WEAPON, PERSON WITH - OTHER WEAPON"
    if outcome["violence"]:
        return "ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)"
    return _call_type_string(profile, year_offset, rng)


def write(path: Path, n_rows: int, seed: int, *, progress: bool = False) -> int:
    """Stream ``n_rows`` rows to CSV (or Parquet by extension) in constant memory; return rows written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = generate_rows(n_rows, seed)
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, total=n_rows, unit="rows", desc=f"synth {path.name}")
    if path.suffix == ".parquet":
        return _write_parquet(path, rows)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def _write_parquet(path: Path, rows: Iterator[dict], batch: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    buffer: list[dict] = []
    written = 0
    try:
        for row in rows:
            buffer.append(row)
            if len(buffer) >= batch:
                table = pa.Table.from_pylist(buffer)
                writer = writer or pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
                written += len(buffer)
                buffer = []
        if buffer or writer is None:
            table = pa.Table.from_pylist(buffer) if buffer else pa.Table.from_pylist([], schema=None)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            written += len(buffer)
    finally:
        if writer is not None:
            writer.close()
    return written

"""The narrative writer: what a caller and call-taker type for a latent call state.

They only *partly* see that state: a weapon can go unreported, a "NEG WPNS" can be
wrong, cues come in CAD shorthand or in plain sentences, with typos and appended
updates, and newer shorthand replaces older words from mid-2023 (wording drift).
"""

from __future__ import annotations

import random

from callroute.data.synth.profiles import CallTypeProfile

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


def write_narrative(row: dict, rng: random.Random) -> tuple[str, list[str]]:
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



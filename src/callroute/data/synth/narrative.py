"""The narrative writer: what a caller and call-taker type for a latent call state.

Each call is written in one register (``cad`` shorthand, a call-taker's ``plain`` English, or
the ``caller``'s own quoted words) with one half of the lexicons (language/lexicons/*.toml):
training data uses half A, the unseen-wording evaluation half B. The writer only *partly*
sees the latent state: a weapon can go unreported, a "no weapons" can be wrong, cues come
with typos, hedges and appended updates, and newer CAD shorthand replaces older words from
mid-2023 (wording drift).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from callroute.language import lexicons
from callroute.language.lexicons import Half

REGISTERS = ("cad", "plain", "caller")
AGES_CAD = ("20S", "30S", "40S", "50S", "60S", "TEEN", "ELDERLY")
AGES_PLAIN = ("in {pos} 20s", "in {pos} 30s", "in {pos} 40s", "in {pos} 50s", "in {pos} 60s", "in {pos} teens",
              "who is elderly")
RACE_CAD = ("W", "B", "H", "A", "U")
CLOTHING = ("WRG BLK HOODIE", "WRG RED JACKET", "GRY SWEATS", "NO SHIRT", "BLU JEANS WHT SHOES", "CAMO PANTS",
            "WRG BACKPACK")


def register_mix(year_offset: float) -> tuple[float, float, float]:
    """Shares of cad / plain / caller narratives: plain and first-person text grow as agencies change."""
    t = min(max(year_offset / 4.0, 0.0), 1.0)
    plain, caller = 0.22 + 0.08 * t, 0.13 + 0.12 * t
    return 1.0 - plain - caller, plain, caller


@dataclass(frozen=True)
class Vocabulary:
    """Everything the writer may say, restricted to one half of each lexicon list."""

    phrases: dict  # cue -> register -> templates
    openers: dict  # call-type key -> register -> templates
    slots: dict  # slot name -> values
    weapons: dict  # "firearm" | "knife" | "improvised" -> objects
    use_pattern: re.Pattern  # a threat/use cue, to pick templates that make an improvised object a weapon
    kin: list  # [male, female] family relations (both halves: people.toml says why)
    acquaintances: list  # [male, female] anyone else a caller names (one half)
    names: dict


@cache
def vocabulary(which: Half) -> Vocabulary:
    """The writer's vocabulary for one half (A, B or all), built once."""
    load, half = lexicons.load, lexicons.half
    phrases = {cue: {r: half(v[r], which) for r in REGISTERS} for cue, v in load("phrases").items()}
    openers = {key: {r: half(v[r], which) for r in REGISTERS} for key, v in load("openers").items()}
    weapons: dict[str, list[str]] = {"firearm": [], "knife": [], "improvised": []}
    for category in load("weapons")["category"]:
        if "cues" in category:  # vehicles: written only with their own cues, not by this writer
            continue
        kind = ("improvised" if category["needs_cue"] else
                "firearm" if category["nibrs"].startswith("11") else "knife")
        weapons[kind].extend(half(category["objects"], which))
    uses, violence, requests, people = load("uses"), load("violence"), load("requests"), load("people")
    slots = {
        "use": half(uses["threat_use"], which), "has": half(uses["possession"], which),
        "position": half(uses["positions"], which), "attack": half(violence["attack"], which),
        "victim": _victims(half(violence["victims"], which), people), "gunfire": half(violence["gunfire"], which),
        "threat": half(violence["threat_verbs"], which), "harm": half(violence["harms"], which),
        "reqverb": half(requests["verbs"], which), "police": half(requests["police"], which),
        "distractor": half(load("weapons")["distractors"]["phrases"], which),
        "place_cad": half(people["places_cad"], which), "place_plain": half(people["places_plain"], which),
    }
    cues = sorted(set(uses["threat_use"]) | {"threatening", "came at", "pulled out", "pulled"}, key=len, reverse=True)
    use_pattern = re.compile(r"\{use\}|\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)
    return Vocabulary(phrases, openers, slots, weapons, use_pattern, people["kin"],
                      half(people["acquaintances"], which),
                      {"m": half(people["names_male"], which), "f": half(people["names_female"], which)})


def _victims(victims: list[str], people: dict) -> list[str]:
    """Victims without fixed kin ("my mom"): a relative who is hurt is the call's own relation.

    Kin words then follow who calls, not whether there is violence (a fixed "my brother" among the
    victims made "sibling" a word of violent calls only).
    """
    kin_words = {word for pair in people["kin"] for word in pair}
    kept = [v for v in victims if not kin_words & set(v.split())]
    return [*kept, "{pos} {rel}", "my {rel}"]


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


_PRONOUNS = {"m": {"pro": "he", "obj": "him", "pos": "his", "self": "himself"},
             "f": {"pro": "she", "obj": "her", "pos": "her", "self": "herself"}}


class _Writer:
    """Writes one call in one register, filling templates from the vocabulary."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, register: str, caller_type: str | None = None) -> None:
        self.rng, self.vocab, self.register = rng, vocab, register
        self.sex = rng.choice("mf")
        # A family caller names the person by their relation; anyone else mostly by an acquaintance word.
        self.family = caller_type == "family"
        relations = vocab.kin if self.family or rng.random() < 0.2 else vocab.acquaintances
        self.rel = rng.choice(relations)[0 if self.sex == "m" else 1]
        self.callerrel = rng.choice(vocab.kin)[rng.randrange(2)]  # who the caller is to the person
        self.weapon = ""
        self.weapon_needs_cue = False

    def fill(self, template: str) -> str:
        rng, slots = self.rng, self.vocab.slots
        values = dict(_PRONOUNS[self.sex])
        values.update(rel=self.rel, weapon=self.weapon, callerrel=self.callerrel)
        values["place"] = rng.choice(slots["place_cad" if self.register == "cad" else "place_plain"])
        for name in ("use", "has", "position", "attack", "victim", "gunfire", "threat", "harm", "reqverb", "police",
                     "distractor"):
            if "{" + name + "}" in template:
                values[name] = rng.choice(slots[name])
        if "victim" in values:  # a victim may name the call's relation ("{pos} {rel}")
            values["victim"] = values["victim"].format(**values)
        return template.format(**values)

    def phrase(self, cue: str) -> str:
        options = self.vocab.phrases[cue][self.register]
        if cue in ("weapon_explicit", "update_weapon") and self.weapon_needs_cue:
            # An everyday object is a weapon only when someone uses or threatens with it.
            options = [t for t in options if self.vocab.use_pattern.search(t)] or options
        return self.fill(self.rng.choice(options))

    def choose_weapon(self) -> None:
        kind = self.rng.choices(("firearm", "knife", "improvised"), weights=(0.4, 0.3, 0.3))[0]
        self.weapon = self.rng.choice(self.vocab.weapons[kind])
        self.weapon_needs_cue = kind == "improvised"

    def describe_person(self) -> str:
        rng = self.rng
        if self.register == "cad":
            return f"{rng.choice(RACE_CAD)}/{'M' if self.sex == 'm' else 'F'} {rng.choice(AGES_CAD)}"
        race = rng.choice(("white", "black", "hispanic", "asian", "native american", "latino"))
        noun = {"m": ("man", "male", "guy"), "f": ("woman", "female", "lady")}[self.sex][rng.randrange(3)]
        name = rng.choice(self.vocab.names[self.sex]).title()
        forms = _PRONOUNS[self.sex]
        age = rng.choice(AGES_PLAIN).format(**forms)
        if self.register == "plain":
            return rng.choice((f"the person is a {race} {noun} {age}", f"{forms['pos']} name is {name}"))
        return rng.choice((f"{forms['pro']}'s a {race} {noun}", f"{forms['pos']} name's {name}"))

    def finish(self, parts: list[str]) -> str:
        rng = self.rng
        if self.register == "cad":
            text = rng.choice((", ", " ", ". ", "; ")).join(parts).upper()
            typo_rate = 0.02
        elif self.register == "plain":
            text = ". ".join(p[0].upper() + p[1:] for p in parts if p) + "."
            typo_rate = 0.01
        else:
            opener, said = parts[0], parts[1:]
            quote = ". ".join(p[0].upper() + p[1:] for p in said if p)
            lead = rng.choice(("Caller states", "Caller says", "RP states", "Caller reports", "Caller"))
            opener = opener[0].upper() + opener[1:]
            text = f"{opener}. {lead}: \"{quote}.\"" if quote else opener
            typo_rate = 0.03
        words = text.split(" ")
        return " ".join(_typo(w, rng) if rng.random() < typo_rate else w for w in words)


def write_narrative(state: dict, rng: random.Random, *, register: str = "cad",
                    vocab: Vocabulary | None = None) -> tuple[str, list[str]]:
    """Compose the narrative for the latent state in ``state``; also return the cues it mentions."""
    w = _Writer(rng, vocab or vocabulary("A"), register, state.get("caller_type"))
    profile = state["profile"]
    openers = w.vocab.openers[profile.key][register]
    if w.family and rng.random() < 0.7:  # a family member mostly starts with who the person is to them
        openers = [o for o in openers if "{rel}" in o] or openers
    opener = rng.choice(openers)
    parts = [w.fill(opener)]
    if rng.random() < 0.6:
        parts.append(w.describe_person())
    if register == "cad" and rng.random() < 0.3:
        parts.append(rng.choice(CLOTHING))
    cues: list[str] = []
    agitation = state["agitation"]
    if agitation > 1.0 and rng.random() < 0.75:
        cues.append("agitated")
    elif agitation > 0.2 and rng.random() < 0.5:
        cues.append("upset")
    elif agitation < -0.4 and rng.random() < 0.55:
        cues.append("calm")
    if rng.random() < 0.06:  # callers misjudge: a cue that contradicts the latent state
        cues.append(rng.choice(("agitated", "calm")))
    if state["intox"] and rng.random() < 0.7:
        cues.append("intox")
    if state["mental"] and rng.random() < 0.65:
        cues.append("mental")
    if profile.key == "SUICIDAL PERSON" or (state["mental"] and rng.random() < 0.15):
        cues.append("suicidal" if rng.random() < 0.6 else "denies_si")
    if state["weapon"]:
        w.choose_weapon()
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
        if rng.random() < 0.06:
            cues.append("distractor")  # a weapon word that is not a weapon ("gun shop", "water pistol")
    if state["violence"] and rng.random() < 0.7:
        cues.append("violence")
    if state["threat_others"] and rng.random() < 0.7:
        cues.append("threat_others")
    if state["insists"]:
        cues.append("insists")
    if state["location_prior_calls"] >= 3 and rng.random() < 0.3:
        cues.append("history_violence")
    if state["medical"]:
        cues.append("medical")
    if w.family and "{rel}" in opener and rng.random() < 0.55:  # a relative calling about their relative
        cues.append("family")
    if rng.random() < 0.35:
        cues.append("filler")
    rng.shuffle(cues)
    parts.extend(w.phrase(c) for c in cues)
    if rng.random() < 0.22:
        if state["weapon"] and rng.random() < 0.3:
            parts.append(w.phrase("update_weapon"))
            cues.append("update_weapon")
        elif agitation >= 0.5:
            parts.append(w.phrase("update_escalating"))
        else:
            parts.append(w.phrase("update_calm"))
    text = w.finish(parts)
    if register == "cad":
        text = _drift_wording(text, state["year_offset"], rng)
    return text, cues


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

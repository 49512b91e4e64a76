"""Red-line rules: the safety layer applied before any model score.

The rule set is data (``rulesets/redline.toml``), versioned and reviewed like code.
A rule fires when one of its patterns matches the narrative and the match is not
negated ("NEG WPNS", "DENIES WEAPONS", "WEAPONS: NONE") nor merely uncertain
("UNK WPNS"). Each hit carries its evidence, the clause that made it fire, so a
dispatcher can read why.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from callroute import budget
from callroute.language import lexicons
from callroute.rules.lexicon import cue_object_patterns, expand, lexicon_terms, term_pattern
from callroute.rules.net import SemanticNet
from callroute.rules.prefilter import LiteralIndex, fold, required_literals
from callroute.rules.spelling import Speller
from callroute.schema import RuleHit

# Words of the upper-cased text, Spanish letters included ("NO SÉ CUÁNTAS", "NINGÚN").
_WORD = re.compile(r"[A-Z0-9'/\-\u00C0-\u00D6\u00D8-\u00DE]+")
_CLAUSE_PUNCT = re.compile(r"[.;!?,\n]")
_EVIDENCE_MAX = 80
# A question or a form field answered no or unknown: "IS HE ARMED? NO", "SUSP ARMED: N", "any weapons on him? not
# that she knows of", "WPN: UNK". Read right after a match: a colon must follow it at once, a question mark may
# come after the words that end a question ("on him", "right now"), no others ("BEATING HER ANY WPNS? NO" fires).
# A red-line word asked about and denied is not the fact. Only a bare answer counts: "ARMED W/ KNIFE: NO
# INJURIES" still fires.
_QUESTION_TAIL = (
    "ON|HIM|HER|THEM|RIGHT|NOW|AT|THE|SCENE|WITH|INVOLVED|PRESENT|SEEN|IN|HIS|THEIR|POSSESSION|HAND|HANDS|TODAY|"
    "TONIGHT|CURRENTLY|STILL|THERE|HERE|OR|NOT|ANYWHERE|HOUSE|HOME|YOU|KNOW|OF|ANYONE|ANYBODY"
)
_DENYING_ANSWER = re.compile(
    rf"(?:\s*:|(?:\s+(?:{_QUESTION_TAIL})\b){{0,4}}\s*\?)\s*(?:(?:A|ANS|ANSWER|RP|CALLER|CLR|CT)\s*:\s*)?"
    r"(?:(?:NO|N|NOPE|NAH|NEG|NEGATIVE|NONE|UNK|UNKN|UNKNOWN|UNSURE|DENIES|DENIED)(?![\w'/\-])\s*"
    r"(?:$|[.,;:!?\-]|(?:HE|SHE|THEY|HE'S|SHE'S|THEY'RE|NOT|I|WE|RP|CALLER|SIR|MA'AM|BUT|JUST|DENIES)\b)"
    r"|NOT\s+THAT\b|(?:I\s+)?DON'?T\s+(?:THINK\s+SO|KNOW|BELIEVE\s+SO)\b|NOT\s+(?:SURE|AS\s+FAR\s+AS)\b)"
)
_COORDINATORS = frozenset({"OR", "NOR", "AND"})
_IF = frozenset({"IF", "WHETHER"})
_DISJUNCTIONS = frozenset({"OR", "NOR"})
_DOUBT_VERBS = frozenset({"KNOW", "SURE", "TELL", "SAY", "CERTAIN"})
# "don't know how many she took", "not sure how much he drank": a doubt about an amount, no denial of the act.
_AMOUNT_WORDS = frozenset({"HOW", "WHAT", "WHICH", "EXACTLY", "CUÁNTAS", "CUÁNTOS", "CUANTAS", "CUANTOS"})
_AMOUNT_DOUBTS = _DOUBT_VERBS | {"IDEA", "CLUE", "REMEMBER", "SÉ", "SE", "SABE", "SABEMOS", "SABEN"}
_UNSURE_ANSWER = re.compile(r"\b(?:UNK|UNKN|UNKNOWN|UNSURE|DON'?T\s+KNOW|NOT\s+SURE)\b")

#: The states a reading gives a rule or a fact (callroute.facts): said, said not to be, or asked and not known.
PRESENT, DENIED, UNKNOWN = "present", "denied", "unknown"


@dataclass(frozen=True)
class Rule:
    """One rule: an id, what kind of rule it is, the sentence it adds, its patterns."""

    rule_id: str
    kind: str  # "red_line" forces police; "flag" only annotates (medical)
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    configurable: bool = False
    negation_inside: bool = False
    belief_threats: bool = False  # a threat from a vague agent after a belief cue is a symptom ([belief])
    distractors: bool = True  # a match opening inside a distractor ("gun shop") is not the fact


@dataclass(frozen=True)
class RuleResult:
    """What the rule set found in one narrative."""

    red_lines: list[RuleHit] = field(default_factory=list)
    flags: list[RuleHit] = field(default_factory=list)

    @property
    def fired(self) -> bool:
        """True when a red-line rule fired (the call must not go to a crisis team alone)."""
        return bool(self.red_lines)


class RuleSet:
    """A loaded, versioned rule set with negation and uncertainty handling."""

    prefilter: bool = True  # skip a rule whose required strings are absent (exact: tests compare both ways)

    def __init__(self, config: dict, *, disabled: frozenset[str] = frozenset(), source: str = "") -> None:
        self.name: str = config["name"]
        self.version: str = config["version"]
        negation = config["negation"]
        # The word lists are shared with the model's features (lexicons/negation.toml); a rule set may add to them.
        shared = lexicons.load("negation")

        def words(key: str) -> frozenset[str]:
            return frozenset(w.upper() for w in [*shared[key], *negation.get(key, ())])

        self._negation_before = words("before")
        self._negation_after = words("after")
        self._uncertainty = words("uncertainty")
        self._doubt_words = self._negation_before | self._negation_after | self._uncertainty
        self._window = int(negation["window_tokens"])
        self._after_window = int(negation["after_tokens"])
        self._clause_words = words("clause_breaks")
        self._bridge = words("bridge")
        self._negated_nouns = words("negated_nouns")
        self._idioms = frozenset(tuple(_WORD.findall(phrase.upper())) for phrase in shared.get("idioms", ()))
        belief = config.get("belief", {})
        self._belief_cues = frozenset(w.upper() for w in belief.get("cues", ()))
        self._belief_agents = frozenset(w.upper() for w in belief.get("agents", ()))
        self._belief_reach = int(belief.get("agent_reach", 4))
        self.source = source
        self.disabled = disabled
        terms = lexicon_terms()
        # The rule set's own word lists ([terms]): ways of saying a fact the generator's lexicons do not hold.
        # A list named like a lexicon list extends it ("distractor").
        for name, values in config.get("terms", {}).items():
            terms[name] = [*terms.get(name, []), *values]
        self.terms: dict[str, list[str]] = terms  # every <<list>> the patterns may name, lexicons and [terms]
        fragments: dict[str, str] = config.get("fragments", {})  # regex pieces patterns share, as {{name}}
        spelling = config.get("spelling", {})
        self.speller = Speller(spelling.get("words", []), terms, spelling.get("known", []))
        self._distractors = re.compile(r"\b" + term_pattern(terms["distractor"]) + r"\b", re.IGNORECASE)
        rules = []
        for raw in config["rules"]:
            if raw["id"] in disabled:
                if not raw.get("configurable", False):
                    raise ValueError(f"rule {raw['id']!r} is a fixed red line and cannot be disabled")
                continue
            rules.append(
                Rule(
                    rule_id=raw["id"],
                    kind=raw["kind"],
                    reason=raw["reason"],
                    patterns=tuple(re.compile(expand(p, terms, fragments), re.IGNORECASE) for p in [
                        *raw["patterns"],
                        *(cue_object_patterns(raw["cue_object_window"]) if "cue_object_window" in raw else []),
                    ]),
                    configurable=bool(raw.get("configurable", False)),
                    negation_inside=bool(raw.get("negation_inside", False)),
                    belief_threats=bool(raw.get("belief_threats", False)),
                    distractors=bool(raw.get("distractors", True)),
                )
            )
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.net: SemanticNet | None = SemanticNet(config["semantic_net"]) if "semantic_net" in config else None

    @classmethod
    def load(cls, path: Path | None = None, *, disabled: frozenset[str] = frozenset()) -> RuleSet:
        """Load a rule set from TOML; the bundled red-line set by default."""
        if path is None:
            text = resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8")
            source = "callroute/rules/rulesets/redline.toml"
        else:
            text = Path(path).read_text("utf-8")
            source = str(path)
        return cls(tomllib.loads(text), disabled=disabled, source=source)

    @property
    def ruleset_id(self) -> str:
        """Name and version, plus the rules switched off, as reported with every decision."""
        suffix = "".join(f"-no:{rule_id}" for rule_id in sorted(self.disabled))
        return f"{self.name}-{self.version}{suffix}"

    def reason_for(self, rule_id: str) -> str:
        """The sentence a dispatcher can repeat for a rule."""
        if self.net is not None and rule_id == self.net.rule_id:
            return self.net.reason
        return next(rule.reason for rule in self.rules if rule.rule_id == rule_id)

    def evaluate(self, narrative: str) -> RuleResult:
        """Return the red-line hits and flags found in ``narrative`` (read with key-word typos corrected)."""
        narrative, text, clauses, distractors, present = self._prepare_text(narrative)
        result = RuleResult()
        for rule, only in self._rules_to_try(present):
            evidence = self._first_live_match(rule, narrative, text, clauses, distractors, present, only)
            if evidence is None:
                continue
            hit = RuleHit(rule_id=rule.rule_id, evidence=evidence)
            (result.red_lines if rule.kind == "red_line" else result.flags).append(hit)
        if self.net is not None and not result.red_lines:
            # The safety net only looks where no worded rule fired: it catches the same facts in other words.
            # A call that names a belief anywhere ("he's paranoid") leaves the net every clause with a vague agent
            # ("he says the police are after him, he's paranoid"): the net has no words to tell a fear from a fact.
            believing = not self._belief_cues.isdisjoint(_WORD.findall(text))
            for start, end in clauses:
                budget.check("the safety net")
                evidence = narrative[start:end].strip()
                words = set(_WORD.findall(text[start:end]))
                # A clause with any negation or uncertainty is left to the worded rules ("WPNS: NEG").
                if not words.isdisjoint(self._doubt_words):
                    continue
                if text.startswith("?", end):
                    continue  # a question asserts nothing: "Q: Are there any weapons? A: No"
                if believing and not words.isdisjoint(self._belief_agents):
                    continue  # a belief, as for the worded threats: "psychotic, says demons will murder him"
                if evidence and self.net.similarity(evidence) >= self.net.threshold:
                    result.red_lines.append(RuleHit(rule_id=self.net.rule_id, evidence=evidence[:_EVIDENCE_MAX]))
                    break
        return result

    def _prepare_text(self, narrative: str) -> tuple[str, str, list[tuple[int, int]], list[tuple[int, int]], set]:
        """What every reading of a narrative starts from.

        The narrative with key-word typos corrected, its upper case (same offsets), its clauses, the spans of
        distractors and the pre-check strings present in it.
        """
        last = self.__dict__.get("_last_prepared")
        if last is not None and last[0] == narrative and last[1] == self.prefilter:
            return last[2]  # the router reads a call twice with the same rules: to evaluate it, and for its facts
        original = narrative
        narrative = self.speller.correct(narrative)
        text = _upper_same_length(narrative)
        index, _, _ = self._prechecks()
        present = index.present(fold(text)) if self.prefilter else set()
        # A red-line word inside a distractor is not the fact: "gun shop", "water pistol", "fighting cancer".
        distractors = [m.span() for m in self._distractors.finditer(text)]
        prepared = (narrative, text, self._clause_bounds(text), distractors, frozenset(present))
        self._last_prepared = (original, self.prefilter, prepared)  # one tuple, replaced whole: safe across threads
        return prepared

    def _rules_to_try(self, present: set) -> Iterator[tuple[Rule, tuple[int, ...] | None]]:
        """Each rule that may match a text holding the pre-check strings ``present``.

        With it, the only patterns left to try (None: all of them).
        """
        index, rule_slots, _ = self._prechecks()
        for rule in self.rules:
            budget.check(f"rule {rule.rule_id}")
            only = None
            if self.prefilter and not index.passes(rule_slots[rule.rule_id], present):
                # No string the rule's selective patterns need is in the text: only its few patterns that
                # need a word CAD mostly writes negated ("NO WEAPONS SEEN") can still match (rules/prefilter.py).
                only = self._weak_patterns(rule)
                if not only:
                    continue
            yield rule, only

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_last_prepared", None)  # the last narrative read is no part of the rules
        return state

    def prepare(self) -> None:
        """Build every pre-check now (seconds for the larger rules), so no call pays for its rule's first use."""
        self._prechecks()

    def _prechecks(self) -> tuple[LiteralIndex, dict[str, int], dict[str, tuple[int, ...]]]:
        """Every rule's pre-check and every pattern's own, in one index (rules/prefilter.py), built on first use.

        A rule's check covers its patterns but the weak ones (:meth:`_weak_patterns`); a rule with nothing but
        weak patterns never passes its own check and tries each of them on its own. A rule with many patterns
        (violence has dozens) passes its check on most narratives ("AT", "WAS" ...); each pattern's own check
        then skips the patterns that cannot match. Returns the index, each rule's slot in it and each rule's
        pattern slots.
        """
        built = self.__dict__.get("_precheck_index")
        if built is None:
            sets: list[frozenset[str] | None] = []
            rule_slots: dict[str, int] = {}
            pattern_slots: dict[str, tuple[int, ...]] = {}
            for rule in self.rules:
                found = [required_literals(pattern) for pattern in rule.patterns]
                weak = set(self._weak_patterns(rule))
                strong = [f for i, f in enumerate(found) if i not in weak]
                rule_slots[rule.rule_id] = len(sets)
                if not strong:
                    sets.append(frozenset())  # never passes: the weak patterns carry their own checks
                elif any(f is None for f in strong):
                    sets.append(None)
                else:
                    sets.append(frozenset().union(*strong))
                pattern_slots[rule.rule_id] = tuple(range(len(sets), len(sets) + len(found)))
                sets.extend(found)
            built = self._precheck_index = (LiteralIndex(sets), rule_slots, pattern_slots)
        return built

    def _weak_patterns(self, rule: Rule) -> tuple[int, ...]:
        """Indices of the rule's patterns whose required strings include a negated noun ("weapons", "wpns").

        CAD writes those words mostly after a negation ("NO WEAPONS SEEN", "NEG WPNS"), so one such pattern
        (a call-type code ending in "Weapon") would let the whole rule's pre-check pass on most narratives,
        and every other pattern be pre-checked one by one. They are left out of the rule's check and tried
        on their own (each with its own check) when the rest cannot match: the same hits, in the same order.
        """
        cache = self.__dict__.setdefault("_weak_cache", {})
        weak = cache.get(rule.rule_id)
        if weak is None:
            nouns = {noun.casefold() for noun in self._negated_nouns}
            weak = cache[rule.rule_id] = tuple(
                i for i, pattern in enumerate(rule.patterns)
                if (found := required_literals(pattern)) is not None and found & nouns
            )
        return weak

    def _clause_bounds(self, text: str) -> list[tuple[int, int]]:
        """Split on punctuation and on words such as BUT or UPDT into (start, end) spans."""
        cuts = [0]
        for match in _CLAUSE_PUNCT.finditer(text):
            cuts.extend((match.start(), match.end()))
        for match in _WORD.finditer(text):
            if match.group() in self._clause_words:
                cuts.extend((match.start(), match.start()))
        cuts.append(len(text))
        cuts.sort()
        return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a] or [(0, len(text))]

    def _cancelled_by(self, before: list[str]) -> bool:
        """A negation or uncertainty cue reaches the match over bridge words only ("NO WPNS", not "NO SHIRT HE")."""
        return self._cancel_kind(before) is not None

    def _cancel_kind(self, before: list[str]) -> str | None:
        """DENIED or UNKNOWN when a negation or uncertainty cue reaches the match over bridge words only.

        A post-negation ("WPNS: NEG HE IS BEATING HER") belongs to the noun before it and reaches no further.
        A doubt asked as a question ("I don't know if they're armed", "not sure whether he has a gun") is UNKNOWN,
        whatever stands between it and the match, as "unknown if armed" is.
        """
        for i in range(len(before) - 2, 0, -1):
            if before[i + 1] in _IF and before[i] in _DOUBT_VERBS and before[i - 1] in self._doubt_words:
                return UNKNOWN
        skip_to = len(before)
        for i in range(len(before) - 1, -1, -1):
            if i >= skip_to:
                continue
            token = before[i]
            if token in self._negation_before or token in self._uncertainty:
                post = token in self._negation_after and i > 0 and before[i - 1] in self._negated_nouns
                if post:
                    return None
                return UNKNOWN if token in self._uncertainty and token not in self._negation_before else DENIED
            if token in _DISJUNCTIONS and i > 0:
                skip_to = i - 1  # "hasn't hurt or threatened anyone": a denial reaches over "<word> or" (NegEx)
                continue
            # "DENIES WPNS PHYSICAL DV IN PROG": the denial's object is the weapons noun; it reaches past
            # it only through a coordinator ("NO WEAPONS OR GUNS").
            if token in self._negated_nouns and (i == len(before) - 1 or before[i + 1] not in _COORDINATORS):
                return None
            if token not in self._bridge:
                return None
        return None

    def _negates_inside(self, matched: str) -> bool:
        """True when a negation word inside a long match denies it ("SI W/ NO PLAN TO USE GUN").

        A negation that opens a doubt about an amount ("I DON'T KNOW HOW MANY SHE TOOK", "NOT SURE HOW MUCH")
        denies nothing: the act is stated, only its size is unknown; nor does one that opens an idiom of the
        negation lexicon ("CAN'T DO THIS ANYMORE").
        """
        words = _WORD.findall(matched)
        for i, word in enumerate(words):
            if word not in self._negation_before:
                continue
            if any(tuple(words[i:i + len(idiom)]) == idiom for idiom in self._idioms):
                continue  # "SAYS SHE CAN'T DO THIS ANYMORE ... HOW MANY SHE TOOK": the words say it, not deny it
            rest = words[i + 1:i + 4]
            doubt = next((j for j, w in enumerate(rest) if w in _AMOUNT_DOUBTS), None)
            if doubt is not None and doubt + 1 < len(rest) and rest[doubt + 1] in _AMOUNT_WORDS:
                continue
            return True
        return False

    def _believed(self, before: list[str], matched: str) -> bool:
        """True when a threat is what a person believes of a vague agent, not what someone said or did.

        A belief cue earlier in the clause ("paranoid", "convinced", "voices") and a vague agent ("someone",
        "the neighbors", "the FBI", "they") within ``agent_reach`` words before the match or opening it:
        "thinks the neighbors are going to kill him with radio waves". A named person keeps the threat a
        threat ("she thinks her husband is going to kill her" fires), and so does a weapon anywhere (its own rule).
        """
        first = _WORD.match(matched)
        tokens = [*before, *([first.group()] if first else [])]
        reach_from = len(before) - self._belief_reach
        cue_seen = False
        for j, token in enumerate(tokens):
            if cue_seen and j >= reach_from and token in self._belief_agents:
                return True
            cue_seen = cue_seen or token in self._belief_cues
        return False

    def _first_live_match(
        self, rule: Rule, narrative: str, text: str, clauses: list[tuple[int, int]],
        distractors: list[tuple[int, int]], present: set[int], only: tuple[int, ...] | None = None,
    ) -> str | None:
        state, evidence = self._scan(rule, narrative, text, clauses, distractors, present, only)
        return evidence if state == PRESENT else None

    def _scan(
        self, rule: Rule, narrative: str, text: str, clauses: list[tuple[int, int]],
        distractors: list[tuple[int, int]], present: set[int], only: tuple[int, ...] | None = None,
    ) -> tuple[str | None, str | None]:
        """(state, evidence) of the rule in the narrative: the first live match is ``present``.

        Without one, the first match a negation cancels is ``denied`` ("NEG WPNS", "IS HE ARMED? NO", "he
        doesn't have a gun"), else the first an uncertainty cue cancels is ``unknown`` ("UNK WPNS", "not sure if
        he's armed"); a match inside a distractor or a belief is neither. (None, None) when nothing matched.
        This is the one reading of negation, uncertainty and answered questions: the red lines fire on
        ``present`` and the fact reader (callroute.facts) reports all three states.
        """
        prechecks, _, pattern_slots = self._prechecks()
        slots = pattern_slots[rule.rule_id]
        doubted: tuple[str, str] | None = None
        for index in range(len(rule.patterns)) if only is None else only:
            pattern = rule.patterns[index]
            if self.prefilter and not prechecks.passes(slots[index], present):
                continue  # none of the strings a match of this pattern needs is in the text
            for match in pattern.finditer(text):
                start, end = match.span()
                if rule.distractors and any(a <= start < b for a, b in distractors):
                    continue  # the match opens inside "gun shop" or "hitting the bottle" (even reading on: "again")
                clause_start, clause_end = next(
                    ((a, b) for a, b in clauses if a <= start < b), (0, len(text))
                )
                before = _WORD.findall(text[clause_start:start])[-self._window :]
                after = _WORD.findall(text[end:clause_end])[: self._after_window]
                # "I don't know how many she took": the doubt is of the amount the match opens with, not of the act
                opening = _WORD.match(match.group())
                amount = (opening is not None and opening.group() in _AMOUNT_WORDS
                          and bool(before) and before[-1] in _AMOUNT_DOUBTS)
                cancelled = None if amount else self._cancel_kind(before)
                if cancelled is None and self._negation_after.intersection(after):
                    cancelled = DENIED
                if cancelled is None and rule.negation_inside and self._negates_inside(match.group()):
                    cancelled = DENIED
                if cancelled is None and (answer := _DENYING_ANSWER.match(text, end)):
                    cancelled = UNKNOWN if _UNSURE_ANSWER.search(answer.group()) else DENIED  # "IS HE ARMED? NO"
                if cancelled is not None:
                    if doubted is None or (doubted[0] == UNKNOWN and cancelled == DENIED):
                        doubted = (cancelled, _evidence(narrative, clause_start, max(clause_end, end), start, end))
                    continue
                if rule.belief_threats and self._believed(_WORD.findall(text[clause_start:start]), match.group()):
                    continue  # "she's paranoid and keeps saying someone is going to kill her"
                # A match may run past its clause ("says she doesn't have a knife but I saw one"): show all of it.
                return PRESENT, _evidence(narrative, clause_start, max(clause_end, end), start, end)
        return doubted if doubted is not None else (None, None)

    def read(self, narrative: str) -> dict[str, tuple[str, str]]:
        """Every rule's state in the narrative: rule id -> (present | denied | unknown, evidence).

        The same reading as :meth:`evaluate` (typos corrected, distractors, clauses, negation, answered
        questions), kept for every rule whatever its kind and reported for denials and doubts too; the
        safety net is not a reading of any one fact and is left to :meth:`evaluate`.
        """
        narrative, text, clauses, distractors, present = self._prepare_text(narrative)
        states: dict[str, tuple[str, str]] = {}
        for rule, only in self._rules_to_try(present):
            state, evidence = self._scan(rule, narrative, text, clauses, distractors, present, only)
            if state is not None:
                states[rule.rule_id] = (state, evidence)
        return states


def _upper_same_length(narrative: str) -> str:
    """Upper case with every character kept in place: match offsets in it are offsets in the narrative.

    ``str.upper`` turns some characters into two ("ß" -> "SS"); those are left as they are. A typographic
    apostrophe becomes a plain one ("doesn\u2019t" is the cue "DOESN'T"), an underscore a space (call-type
    codes join words with it: "114D_Domestic Physical", "*Dom Disturb/Viol_In Progress").
    """
    upper = narrative.upper()
    if len(upper) != len(narrative):
        upper = "".join(u if len(u := c.upper()) == 1 else c for c in narrative)
    return upper.replace("\u2019", "'").replace("_", " ")


def _evidence(narrative: str, clause_start: int, clause_end: int, start: int, end: int) -> str:
    """The clause around a match, trimmed to a readable length."""
    # A clause that ends where "now" or "then" opens the next ends on its "and": "shoved my mom and | now ...".
    words = narrative[clause_start:clause_end].rstrip().rsplit(None, 1)
    if len(words) == 2 and words[1].upper() in _COORDINATORS and clause_start + len(words[0]) >= end:
        clause_end = clause_start + len(words[0])
    snippet = narrative[clause_start:clause_end].strip()
    if len(snippet) <= _EVIDENCE_MAX:
        return snippet
    lo = max(clause_start, start - 30)
    hi = min(clause_end, end + 30)
    # Whole words only: widen to the nearest spaces so no word is cut ("prescri").
    while lo > clause_start and not narrative[lo - 1].isspace():
        lo -= 1
    while hi < clause_end and not narrative[hi].isspace():
        hi += 1
    return narrative[lo:hi].strip()


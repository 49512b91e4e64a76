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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from callroute.language import lexicons
from callroute.language.text import meaning_words
from callroute.schema import RuleHit

_WORD = re.compile(r"[A-Z0-9'/\-]+")
_CLAUSE_PUNCT = re.compile(r"[.;!?,\n]")
_EVIDENCE_MAX = 80
_PLACEHOLDER = re.compile(r"<<(\w+)>>")
_COORDINATORS = frozenset({"OR", "NOR", "AND"})


def lexicon_terms() -> dict[str, list[str]]:
    """The term lists rule patterns name as ``<<name>>`` (language/lexicons/*.toml, both halves)."""
    load = lexicons.load
    categories = load("weapons")["category"]
    uses, violence, requests = load("uses"), load("violence"), load("requests")
    return {
        "weapon": [o for c in categories if not c["needs_cue"] for o in c["objects"]],
        "threat_use": uses["threat_use"],
        "possession": uses["possession"],
        "attack": violence["attack"],
        "victim": violence["victims"],
        "thing": violence["things"],
        "gunfire": violence["gunfire"],
        "threat_verb": violence["threat_verbs"],
        "harm": violence["harms"],
        "self_target": violence["self_targets"],
        "danger": violence["danger"],
        "suicide_active": violence["suicide_active"],
        "request_verb": requests["verbs"],
        "police": requests["police"],
        "distractor": load("weapons")["distractors"]["phrases"],
    }


def cue_object_patterns(window: int) -> list[str]:
    """Cue-and-object patterns for every weapon that needs a cue, in either order within ``window`` words.

    "threatening his mother with a screwdriver", "swinging a bat", "the bat he was swinging",
    "tried to run her over with his car": the cue lists come from each category (weapons.toml).
    """
    uses = lexicons.load("uses")
    groups: dict[tuple[str, ...], list[str]] = {}
    for category in lexicons.load("weapons")["category"]:
        if not category["needs_cue"]:
            continue
        cues = category.get("cues") or [c for name in category.get("cue_lists", ["threat_use"]) for c in uses[name]]
        groups.setdefault(tuple(sorted(set(cues))), []).extend(category["objects"])
    gap = rf"(?:\W+[\w']+){{0,{window}}}?\W+"
    patterns = []
    for cues, objects in groups.items():
        cue, obj = term_pattern(list(cues)), term_pattern(objects)
        patterns += [rf"\b{cue}{gap}{obj}\b", rf"\b{obj}{gap}{cue}\b"]
    return patterns


def term_pattern(terms: list[str]) -> str:
    """A non-capturing alternation of terms, longest first; spaces match any whitespace, hyphens are optional."""
    escaped = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = [re.escape(part).replace("\\-", "[-\\s]?") for part in term.split()]
        escaped.append("\\s+".join(words))
    return "(?:" + "|".join(escaped) + ")"


def expand(pattern: str, terms: dict[str, list[str]]) -> str:
    """Replace every ``<<name>>`` in a rule pattern by the alternation of that lexicon list."""
    def _sub(match: re.Match) -> str:
        name = match.group(1)
        if name not in terms:
            raise ValueError(f"rule pattern names an unknown lexicon list <<{name}>> (known: {', '.join(terms)})")
        return term_pattern(terms[name])

    return _PLACEHOLDER.sub(_sub, pattern)


@dataclass(frozen=True)
class Rule:
    """One rule: an id, what kind of rule it is, the sentence it adds, its patterns."""

    rule_id: str
    kind: str  # "red_line" forces police; "flag" only annotates (medical)
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    configurable: bool = False
    negation_inside: bool = False


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

    def __init__(self, config: dict, *, disabled: frozenset[str] = frozenset(), source: str = "") -> None:
        self.name: str = config["name"]
        self.version: str = config["version"]
        negation = config["negation"]
        self._negation_before = frozenset(negation["before"])
        self._negation_after = frozenset(negation["after"])
        self._uncertainty = frozenset(negation["uncertainty"])
        self._window = int(negation["window_tokens"])
        self._after_window = int(negation["after_tokens"])
        self._clause_words = frozenset(negation["clause_breaks"])
        self._bridge = frozenset(negation.get("bridge", ()))
        self._negated_nouns = frozenset(negation.get("negated_nouns", ()))
        self.speller = Speller(config.get("spelling", {}).get("words", []))
        self.source = source
        self.disabled = disabled
        terms = lexicon_terms()
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
                    patterns=tuple(re.compile(expand(p, terms), re.IGNORECASE) for p in [
                        *raw["patterns"],
                        *(cue_object_patterns(raw["cue_object_window"]) if "cue_object_window" in raw else []),
                    ]),
                    configurable=bool(raw.get("configurable", False)),
                    negation_inside=bool(raw.get("negation_inside", False)),
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
        narrative = self.speller.correct(narrative)
        text = narrative.upper()
        clauses = self._clause_bounds(text)
        result = RuleResult()
        for rule in self.rules:
            evidence = self._first_live_match(rule, narrative, text, clauses)
            if evidence is None:
                continue
            hit = RuleHit(rule_id=rule.rule_id, evidence=evidence)
            (result.red_lines if rule.kind == "red_line" else result.flags).append(hit)
        if self.net is not None and not result.red_lines:
            # The safety net only looks where no worded rule fired: it catches the same facts in other words.
            for start, end in clauses:
                evidence = narrative[start:end].strip()
                words = set(_WORD.findall(text[start:end]))
                # A clause with any negation or uncertainty is left to the worded rules ("WPNS: NEG").
                if words & (self._negation_before | self._negation_after | self._uncertainty):
                    continue
                if evidence and self.net.similarity(evidence) >= self.net.threshold:
                    result.red_lines.append(RuleHit(rule_id=self.net.rule_id, evidence=evidence[:_EVIDENCE_MAX]))
                    break
        return result

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
        """A negation or uncertainty cue reaches the match over bridge words only ("NO WPNS", not "NO SHIRT HE").

        A post-negation ("WPNS: NEG HE IS BEATING HER") belongs to the noun before it and reaches no further.
        """
        for i in range(len(before) - 1, -1, -1):
            token = before[i]
            if token in self._negation_before or token in self._uncertainty:
                post = token in self._negation_after and i > 0 and before[i - 1] in self._negated_nouns
                return not post
            # "DENIES WPNS PHYSICAL DV IN PROG": the denial's object is the weapons noun; it reaches past
            # it only through a coordinator ("NO WEAPONS OR GUNS").
            if token in self._negated_nouns and (i == len(before) - 1 or before[i + 1] not in _COORDINATORS):
                return False
            if token not in self._bridge:
                return False
        return False

    def _first_live_match(
        self, rule: Rule, narrative: str, text: str, clauses: list[tuple[int, int]]
    ) -> str | None:
        # A weapon word inside "gun shop", "water pistol", "knife sharpening" is not a weapon on scene.
        distractors = [m.span() for m in self._distractors.finditer(text)]
        for pattern in rule.patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(a <= start and end <= b for a, b in distractors):
                    continue
                clause_start, clause_end = next(
                    ((a, b) for a, b in clauses if a <= start < b), (0, len(text))
                )
                before = _WORD.findall(text[clause_start:start])[-self._window :]
                after = _WORD.findall(text[end:clause_end])[: self._after_window]
                if self._cancelled_by(before):
                    continue
                if self._negation_after.intersection(after):
                    continue
                if rule.negation_inside and self._negation_before.intersection(_WORD.findall(match.group())):
                    continue
                return _evidence(narrative, clause_start, clause_end, start, end)
        return None


def _evidence(narrative: str, clause_start: int, clause_end: int, start: int, end: int) -> str:
    """The clause around a match, trimmed to a readable length."""
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


class SemanticNet:
    """Clause-level similarity to red-line prototype sentences, in static MiniLM word vectors.

    Catches a red-line fact said in words no pattern names ("heard like six bangs"). Negated words
    never count (they are left out of the clause vector), so "no weapons seen" is not near "has a gun".
    The threshold is chosen by tests/benchmarks/tune_safety_net.py for recall on hand-written calls
    and written into the rules file with its false-fire rate on crisis calls.
    """

    def __init__(self, config: dict) -> None:
        self.rule_id: str = config["id"]
        self.reason: str = config["reason"]
        self.threshold: float = float(config["threshold"])
        self.dim: int = int(config.get("dim", 256))
        self.prototypes: tuple[str, ...] = tuple(config["prototypes"])
        self._matrix: np.ndarray | None = None
        self._vectors = None

    def _ready(self):
        if self._vectors is None:
            from callroute.language.vectors import load_static_vectors

            self._vectors = load_static_vectors(self.dim)
            rows = [self._vectors.sentence(meaning_words(p)) for p in self.prototypes]
            self._matrix = np.vstack([r for r in rows if r is not None])
        return self._vectors

    def similarity(self, clause: str) -> float:
        """Largest cosine between the clause and any prototype (0 for a clause of fewer than two meaning words).

        One word is not a fact: "WPNS" alone is close to "armed with a deadly weapon" but says nothing.
        """
        words = meaning_words(clause)
        if len(words) < 2:
            return 0.0
        vector = self._ready().sentence(words)
        return 0.0 if vector is None else float((self._matrix @ vector).max())


class Speller:
    """Reads a one-letter slip of a key word as the word: a dropped, doubled or swapped letter.

    Key words are the rule file's ``[spelling] words`` plus every lexicon word of five letters or more.
    A slip that is itself a real word (the MiniLM WordPiece vocabulary, when installed, or a lexicon
    word) is left alone, so "shot" never becomes "shoot" and "fire" never becomes "fired".
    """

    def __init__(self, extra_words: list[str]) -> None:
        terms = lexicon_terms()
        words = {w for values in terms.values() for term in values for w in re.findall(r"[a-z]+", term.lower())}
        words |= {w.lower() for w in extra_words}
        keys = {w for w in words if len(w) >= 5}
        real = words | _real_words()
        table: dict[str, str] = {}
        for word in sorted(keys):
            for slip in _slips(word):
                if len(slip) >= 5 and slip not in real and slip not in table:
                    table[slip] = word
        self.table = table
        self._token = re.compile(r"[A-Za-z]{4,}")

    def correct(self, narrative: str) -> str:
        """The narrative with every known slip replaced by its word, in the slip's case."""
        def _fix(match: re.Match) -> str:
            token = match.group()
            word = self.table.get(token.lower())
            if word is None:
                return token
            return word.upper() if token.isupper() else word

        return self._token.sub(_fix, narrative)


def _slips(word: str) -> set[str]:
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return (dropped | doubled | swapped) - {word}


def _real_words() -> set[str]:
    """Whole words of the MiniLM WordPiece vocabulary (about 20,000 English words), or none when absent."""
    try:
        from callroute.language.minilm import model_dir

        lines = (model_dir() / "vocab.txt").read_text("utf-8").split()
    except Exception:  # the text model is optional for the rules: without it, only lexicon words count as real
        return set()
    return {w for w in lines if w.isalpha()}

r"""A cheap, exact pre-check for a rule: which literal strings every match of its patterns must contain.

Most narratives fire no rule, yet each rule's patterns (hundreds of lexicon terms) would be
scanned one by one. From each compiled pattern's parse tree we derive a set of literal strings
such that *any* match contains at least one of them (for ``\b(?:knife|knives|gun)\s+...`` that is
``{"knife", "knives", "gun"}``); a rule whose set never occurs in the case-folded narrative cannot
fire, and its patterns are skipped. When a pattern's structure gives no such set (a character class
at every position, say), the rule is always checked: the pre-check can only skip work, never a match.

:class:`LiteralIndex` answers every rule's and every pattern's pre-check at once: one Aho-Corasick pass
(pyahocorasick) over the folded text finds which of all the required strings occur, and each check is then a
set intersection (it replaced about 65 regular-expression searches a call).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from re import _constants as C  # the regex parse-tree opcodes (the stdlib's own parser)
from re import _parser

import ahocorasick

from callroute.rules.lexicon import literal_pattern

_MAX_STRINGS = 4000
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The text as the pre-check reads it: case-folded, every whitespace run one space."""
    return _SPACES.sub(" ", text.casefold())


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Case-folded strings one of which every match of ``pattern`` contains, or None when unknown.

    Kept per pattern for the process (a compiled pattern is its text and flags): every rule set built from
    the same rules, as training builds one per fact block, pays for the analysis once.
    """
    if pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        return None  # multiline, dot-all or verbose patterns are not analysed
    found = _factor(list(_parser.parse(pattern.pattern, pattern.flags)))
    return frozenset(found) if found else None


def rule_check(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One regex over the case-folded text that must match for any of ``patterns`` to match (None: no check)."""
    literals: set[str] = set()
    for pattern in patterns:
        found = required_literals(pattern)
        if found is None:
            return None
        literals |= found
    return re.compile(literal_pattern(literals))


class LiteralIndex:
    """Which of many sets of required strings occur in a folded text, found in one pass.

    ``sets[i]`` is None for a check that always passes (a pattern whose strings are unknown, or one that can
    match the empty string), an empty set for one that never passes, else the ids of its strings: the check
    passes when one of them is in :meth:`present` (exactly as ``rule_check``'s regex would search).
    """

    def __init__(self, literal_sets: Iterable[frozenset[str] | None]) -> None:
        ids: dict[str, int] = {}
        self.sets: list[frozenset[int] | None] = []
        for strings in literal_sets:
            if strings is None or "" in strings:
                self.sets.append(None)
            else:
                self.sets.append(frozenset(ids.setdefault(s, len(ids)) for s in strings))
        self._automaton = ahocorasick.Automaton()
        for string, index in ids.items():
            self._automaton.add_word(string, index)
        if ids:
            self._automaton.make_automaton()
        self._empty = not ids

    def present(self, folded: str) -> set[int]:
        """Ids of the strings that occur in ``folded`` (overlaps included)."""
        return set() if self._empty else {index for _, index in self._automaton.iter(folded)}

    def passes(self, slot: int, present: set[int]) -> bool:
        """Whether check ``slot`` passes on a text whose strings are ``present``."""
        needed = self.sets[slot]
        return needed is None or not needed.isdisjoint(present)


def _strings(items: list) -> set[str] | None:
    r"""Every string the item sequence can match in folded text, if that is a small finite set; else None.

    Folded text (:func:`fold`) has every whitespace run as one space, so ``\s`` and ``\s+`` are " ",
    and word boundaries match the empty string.
    """
    out = {""}
    for op, av in items:
        if op is C.LITERAL:
            options = {chr(av).casefold()}
        elif op is C.AT:
            options = {""}
        elif op is C.CATEGORY:
            options = {" "} if av is C.CATEGORY_SPACE else None
        elif op is C.IN:
            options = _class(av)
        elif op is C.BRANCH:
            options = set()
            for branch in av[1]:
                sub = _strings(list(branch))
                if sub is None:
                    return None
                options |= sub
        elif op is C.SUBPATTERN and not av[1] and not av[2]:
            options = _strings(list(av[3]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            options = _repeat(av)
        else:
            return None
        if options is None:
            return None
        out = {_SPACES.sub(" ", a + b) for a in out for b in options}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _class(members: list) -> set[str] | None:
    r"""A character class of literals and whitespace (``[-\s]``); None for anything wider."""
    options: set[str] = set()
    for op, av in members:
        if op is C.LITERAL:
            options.add(chr(av).casefold())
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            options.add(" ")
        else:
            return None
    return options


def _repeat(av: tuple) -> set[str] | None:
    low, high, body = av
    inner = _strings(list(body))
    if inner is None:
        return None
    if inner == {" "}:  # \s+ or \s*: one space in folded text
        return {" "} if low >= 1 else {"", " "}
    if low == 0 and high == 1:
        return inner | {""}
    return None


def _factor(items: list) -> set[str] | None:
    """A set of strings one of which every match of the sequence contains (the most selective found)."""
    candidates: list[set[str]] = []
    run: list[tuple] = []
    for item in [*items, None]:
        if item is not None and _strings([item]) is not None:
            run.append(item)
            continue
        if run:
            # The longest stretch of literal items from the start of the run whose strings stay few.
            for end in range(len(run), 0, -1):
                joined = _strings(run[:end])
                if joined is not None:
                    candidates.append(joined)
                    break
            run = []
        if item is None:
            break
        inner = _item_factor(item)
        if inner is not None:
            candidates.append(inner)
    usable = [c for c in candidates if c and "" not in c and " " not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(s) for s in c), -len(c)))


def _item_factor(item: tuple) -> set[str] | None:
    op, av = item
    if op is C.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            sub = _factor(list(branch))
            if sub is None:
                return None
            union |= sub
        return union
    if op is C.SUBPATTERN and not av[1] and not av[2]:
        return _factor(list(av[3]))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _factor(list(av[2]))
    return None

"""Words that carry sex or race, mapped to one neutral form before any feature (DOMAIN.md, Fairness).

Pronouns, kin and relationship terms, titles and sex nouns come in pairs (people.toml); every form of
a pair becomes the pair's neutral word ("his"/"her" -> "they", "brother"/"sister" -> "sibling"), given
names and race words are dropped. Applied inside the fitted pipeline (language.text), so training and
serving cannot differ, and a counterfactual swap of any of these words leaves the features identical.
"""

from __future__ import annotations

import re
from functools import cache

from callroute.language import lexicons

#: All third-person singular pronouns share one form, so "his knife" and "her knife" are the same words.
_PRONOUNS = {"he": "they", "she": "they", "him": "they", "her": "they", "his": "they", "hers": "they",
             "himself": "themself", "herself": "themself", "they": "they", "them": "they", "their": "they",
             "theirs": "they", "themselves": "themself", "themself": "themself"}


@cache
def neutral_forms() -> dict[str, str]:
    """Lower-case token -> neutral replacement ("" drops the token)."""
    people = lexicons.load("people")
    table: dict[str, str] = {}
    for male, female, neutral in people["pairs"]:
        for word in (male, female):
            if " " not in word:
                table[word] = neutral
    for name in (*people["names_male"], *people["names_female"]):
        table[name] = ""
    for race in people["race"]:
        if " " not in race and "-" not in race:
            table[race] = ""
    table.update(_PRONOUNS)
    return table


@cache
def _multiword_race() -> re.Pattern[str]:
    phrases = [r for r in lexicons.load("people")["race"] if " " in r or "-" in r]
    alternation = "|".join(re.escape(p).replace("\\ ", r"[\s-]+").replace("\\-", r"[\s-]+") for p in phrases)
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def remove_multiword_race(text: str) -> str:
    """Drop race phrases of several words ("african american", "pacific islander")."""
    return _multiword_race().sub(" ", text)


def neutralise(token: str) -> str:
    """The neutral form of one lower-case token; contractions keep their ending ("she's" -> "they's")."""
    table = neutral_forms()
    if token in table:
        return table[token]
    head, apostrophe, tail = token.partition("'")
    if apostrophe and head in table:
        return f"{table[head]}'{tail}" if table[head] else ""
    return token

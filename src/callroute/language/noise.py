"""Text that says nothing: a keyboard mash, a test string, a long run of one letter.

A call in which no situation fact can be read and most of whose letters are not in words anyone would
recognise gets ``needs_review`` (routing/router.py): the model would otherwise route it on its fields alone
with no flag. A word is recognised when it is in the MiniLM WordPiece vocabulary (about 20,000 English
words, installed with the text model), in a lexicon or rule file (CAD shorthand: RP, STS, SUBJ, WPNS), or
holds a digit (codes: 5150, 647F). Without the vocabulary only lexicon words count, so more is judged noise
only when the lexicons too do not know it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_WORD = re.compile(r"[^\W_]+")
#: Share of a narrative's letters in words nobody recognises above which it reads as noise.
NOISE_SHARE = 0.5


def reads_as_noise(narrative: str) -> bool:
    """Whether more than half of the narrative's letters are in unrecognised words."""
    known = known_words()
    words = _WORD.findall(narrative.lower())
    letters = sum(len(w) for w in words)
    if not letters:
        return True
    unknown = sum(len(w) for w in words if w not in known and not any(ch.isdigit() for ch in w))
    return unknown > NOISE_SHARE * letters


@cache
def known_words() -> frozenset[str]:
    """Words of the MiniLM vocabulary (when installed) and of every lexicon and rule file."""
    words: set[str] = set()
    try:
        from callroute.language.minilm import model_dir

        words |= {w for w in (model_dir() / "vocab.txt").read_text("utf-8").split() if w.isalpha()}
    except Exception:  # the text model is optional: the lexicons alone then say what a word is
        pass
    for package, folder in (("callroute.language", "lexicons"), ("callroute.rules", "rulesets"),
                            ("callroute.facts", "")):
        root = resources.files(package).joinpath(folder) if folder else resources.files(package)
        for entry in root.iterdir():
            if entry.name.endswith(".toml"):
                words |= {w for w in _WORD.findall(entry.read_text("utf-8").lower()) if w.isalpha()}
    return frozenset(words)

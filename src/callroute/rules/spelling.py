"""Key-word typos read as the word: one dropped, doubled or swapped letter that is not a real word."""

from __future__ import annotations

import re


class Speller:
    """Reads a one-letter slip of a key word as the word: a dropped, doubled or swapped letter.

    Key words are the rule file's ``[spelling] words`` plus every lexicon word of five letters or more.
    A slip that is itself a real word (the MiniLM WordPiece vocabulary, when installed, or a lexicon
    word) is left alone, so "shot" never becomes "shoot" and "fire" never becomes "fired".
    """

    def __init__(self, extra_words: list[str], terms: dict[str, list[str]], known: list[str] = ()) -> None:
        words = {w for values in terms.values() for term in values for w in re.findall(r"[a-z]+", term.lower())}
        words |= {w.lower() for w in extra_words}
        keys = {w for w in words if len(w) >= 5}
        real = words | _real_words() | {w.lower() for w in known}
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

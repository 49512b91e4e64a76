"""The semantic safety net: clause meaning against red-line prototype sentences (static MiniLM vectors)."""

from __future__ import annotations

import numpy as np

from callroute.language.text import meaning_words

_MEMO_SIZE = 100_000  # clauses remembered (about 15 MB at most)


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
        # clause -> similarity: a pure function of the clause, and CAD repeats its clauses from call to call
        # ("UPDT: SUBJ SAT DOWN", "RP WILL MEET"). Bounded: emptied when full.
        self._memo: dict[str, float] = {}

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
        known = self._memo.get(clause)
        if known is not None:
            return known
        words = meaning_words(clause)
        vector = self._ready().sentence(words) if len(words) >= 2 else None
        value = 0.0 if vector is None else float((self._matrix @ vector).max())
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[clause] = value
        return value

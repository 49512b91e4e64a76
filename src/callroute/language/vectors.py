"""Static token vectors distilled from all-MiniLM-L6-v2 (model2vec's method), built once and cached.

Each WordPiece token of the model's vocabulary goes through the transformer once
("[CLS] token [SEP]", mean-pooled); PCA reduces the vectors to ``dim`` dimensions and each
token gets a frequency weight (SIF, with the vocabulary rank as the frequency estimate), so
a narrative's vector is a weighted mean of its words' vectors: linear in the words, so a
linear model over it keeps an exact per-word explanation and scores in microseconds.

Distilling takes about half a minute on two cores; the result is cached under
``CALLROUTE_CACHE_DIR`` (default ``~/.cache/callroute``), keyed by the weights' SHA-256 and
the dimension, and never committed. Only the fitted pipeline that uses it goes into a bundle.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import numpy as np

from callroute.language.minilm import EXPECTED_SHA256, MiniLM
from callroute.language.text import function_words

#: Function words carry no meaning of their own here: they get weight 0 (and so never explain a risk).
FUNCTION_WORDS = function_words()

_WORDPIECE_WORD = re.compile(r"^[a-z][a-z']*$")
#: A longer word is unknown (no pieces), as BERT's tokenizer treats words over 100 characters (its
#: ``max_input_chars_per_word``): no real word is that long, and the greedy split of one unbroken random word
#: of 5,000 letters took 4.4 s before this cap (tests/benchmarks/bench_fuzz.py).
MAX_WORD_CHARS = 100
_WORD_CACHE = 200_000
_ABSENT = object()


def cache_dir() -> Path:
    """Where distilled vectors are kept (``CALLROUTE_CACHE_DIR``, else ``~/.cache/callroute``)."""
    configured = os.environ.get("CALLROUTE_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "callroute"


class StaticVectors:
    """Token -> unit-scale vector and weight; words are split into WordPieces like the transformer does."""

    def __init__(self, tokens: list[str], vectors: np.ndarray, weights: np.ndarray) -> None:
        self.tokens = tokens
        self.vectors = vectors.astype(np.float32)
        self.weights = weights.astype(np.float32)
        self.index = {t: i for i, t in enumerate(tokens)}
        # The longest piece (without "##"): a match is never tried past it, so a split is linear in the word.
        self.longest_piece = max((len(t.removeprefix("##")) for t in tokens), default=1)
        # Every prefix of a word-initial piece and of a continuation piece ("##" dropped): the split walks a
        # piece only while its letters are a prefix of some piece, so random letters stop after one or two.
        self._prefixes = ({t[:k] for t in tokens if not t.startswith("##") for k in range(1, len(t) + 1)},
                          {t[2:2 + k] for t in tokens if t.startswith("##") for k in range(1, len(t) - 1)})
        self.dim = vectors.shape[1]
        self._words: dict[str, tuple[np.ndarray, float] | None] = {}
        self._splits: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict:
        return {"tokens": self.tokens, "vectors": self.vectors, "weights": self.weights}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["tokens"], state["vectors"], state["weights"])

    def pieces(self, word: str) -> list[int]:
        """Greedy longest-match WordPiece split of a lower-case word (BERT's rule); [] when impossible."""
        return list(self._pieces_of(word))

    def word_pieces(self, word: str) -> tuple[int, ...]:
        """The WordPiece ids whose mean is the word's vector; () for a function word or an unsplittable one."""
        if word in FUNCTION_WORDS or not _WORDPIECE_WORD.match(word):
            return ()
        return self._pieces_of(word)

    def _pieces_of(self, word: str) -> tuple[int, ...]:
        """:func:`_split`, remembered per word in this table.

        A module-level cache would hold every table, and so every model a server ever reloaded, alive.
        """
        ids = self._splits.get(word)
        if ids is None:
            ids = _split(self, word)
            if len(self._splits) < _WORD_CACHE:
                self._splits[word] = ids
        return ids

    def word(self, word: str) -> tuple[np.ndarray, float] | None:
        """The word's vector (mean of its pieces, in float64) and weight, or None when it has no pieces.

        Remembered per word (up to ``_WORD_CACHE`` words): the same words recur in every call.
        """
        hit = self._words.get(word, _ABSENT)
        if hit is not _ABSENT:
            return hit
        ids = self.word_pieces(word)
        hit = None
        if ids:
            vector = self.vectors[list(ids)].mean(axis=0, dtype=np.float64)
            vector.flags.writeable = False  # shared by every caller
            hit = (vector, float(self.weights[ids[0]]))
        if len(self._words) < _WORD_CACHE:
            self._words[word] = hit
        return hit

    def sentence(self, words: list[str]) -> np.ndarray | None:
        """Unit vector of the weighted mean of the words' vectors; None when no word carries meaning."""
        total, acc = 0.0, np.zeros(self.dim, dtype=np.float64)
        for w in words:
            hit = self.word(w)
            if hit is not None:
                acc += hit[0] * hit[1]
                total += hit[1]
        norm = float(np.linalg.norm(acc))
        return acc / norm if total > 0 and norm > 0 else None


def _split(table: StaticVectors, word: str) -> tuple[int, ...]:
    """Greedy longest-match WordPiece split; () for a word over MAX_WORD_CHARS or one with no split."""
    if len(word) > MAX_WORD_CHARS:
        return ()
    ids, start, index = [], 0, table.index
    while start < len(word):
        prefixes = table._prefixes[start > 0]
        found, found_end = None, start
        # The longest piece at ``start``: grow while the letters are still a prefix of some piece (a trie walk:
        # linear in the piece's length, where trying every length from the longest down cost the longest each time).
        for end in range(start + 1, min(len(word), start + table.longest_piece) + 1):
            letters = word[start:end]
            if letters not in prefixes:
                break
            piece = letters if start == 0 else "##" + letters
            if piece in index:
                found, found_end = index[piece], end
        if found is None:
            return ()
        ids.append(found)
        start = found_end
    return tuple(ids)


def distill(dim: int = 256, *, batch_size: int = 512) -> StaticVectors:
    """Run every vocabulary token through MiniLM once, reduce with PCA, weight by estimated frequency."""
    from sklearn.decomposition import PCA

    model = MiniLM()
    vocab = model.vocabulary
    cls, sep = model.tokenizer.token_to_id("[CLS]"), model.tokenizer.token_to_id("[SEP]")
    ids = np.array([[cls, i, sep] for i in range(len(vocab))], dtype=np.int64)
    mask = np.ones(ids.shape, dtype=np.float32)
    raw = np.vstack([model.encode_ids(ids[s : s + batch_size], mask[s : s + batch_size])
                     for s in range(0, len(ids), batch_size)])
    # The exact (LAPACK) solver: the same vectors on every machine, so a bundle never depends on where it was built.
    reduced = PCA(n_components=dim, svd_solver="full").fit_transform(raw)
    # SIF weight a / (a + p(token)), p from a Zipf law over the vocabulary rank (WordPiece vocabularies are
    # built roughly in frequency order): frequent tokens weigh less, rare content words more.
    rank = np.arange(1, len(vocab) + 1, dtype=float)
    p = (1.0 / rank) / (1.0 / rank).sum()
    weights = 1e-4 / (1e-4 + p)
    return StaticVectors(vocab, reduced.astype(np.float32), weights.astype(np.float32))


@cache
def load_static_vectors(dim: int = 256) -> StaticVectors:
    """The distilled vectors from the cache, distilling them first when absent."""
    path = cache_dir() / f"minilm-static-v2-{EXPECTED_SHA256['model.safetensors'][:16]}-{dim}.npz"
    if path.exists():
        data = np.load(path, allow_pickle=False)
        return StaticVectors(list(data["tokens"]), data["vectors"], data["weights"])
    table = distill(dim)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp.npz")
    np.savez(partial, tokens=np.array(table.tokens), vectors=table.vectors, weights=table.weights)
    partial.replace(path)  # atomic: a half-written cache is never read
    return table

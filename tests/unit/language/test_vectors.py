"""The WordPiece split of the static vectors: BERT's greedy longest match, bounded work per word."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from callroute.language.vectors import MAX_WORD_CHARS, StaticVectors, _split

TOKENS = ["[UNK]", "a", "ab", "abc", "b", "c", "knife", "kn", "##a", "##b", "##c", "##ab", "##ife", "##s", "##knife"]
TABLE = StaticVectors(TOKENS, np.eye(len(TOKENS), 4, dtype=np.float32), np.ones(len(TOKENS), dtype=np.float32))


def _unbounded_split(word: str) -> tuple[int, ...]:
    """The split as written before the bound: every end position tried, longest first."""
    ids, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in TABLE.index:
                found = TABLE.index[piece]
                break
            end -= 1
        if found is None:
            return ()
        ids.append(found)
        start = end
    return tuple(ids)


@given(st.text(alphabet="abcknifes", min_size=1, max_size=MAX_WORD_CHARS))
def test_the_bounded_split_is_the_greedy_longest_match(word: str) -> None:
    # Given a word no longer than the cap, When it is split with match lengths bounded by the longest piece
    # Then the pieces are those of the unbounded greedy split
    assert _split(TABLE, word) == _unbounded_split(word), f"split of {word!r} changed with the bound"


def test_a_word_over_the_cap_has_no_pieces() -> None:
    # Given a word one letter over the cap made only of known pieces
    word = "ab" * (MAX_WORD_CHARS // 2) + "a"
    # When it is split Then it is unknown, as BERT's tokenizer treats words over 100 characters
    assert len(word) > MAX_WORD_CHARS
    assert _split(TABLE, word) == (), "a word over the cap must carry no meaning"
    # and a word at the cap still splits
    assert _split(TABLE, word[:MAX_WORD_CHARS]) != (), "a word at the cap must still split"


def test_the_longest_piece_is_read_from_the_vocabulary_without_its_prefix() -> None:
    assert TABLE.longest_piece == len("knife"), "'##knife' counts as five letters, not seven"

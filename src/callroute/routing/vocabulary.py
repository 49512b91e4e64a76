"""What part of the served calls' wording the model knows (the monitor's unseen-word share)."""

from __future__ import annotations

import pandas as pd

from callroute.routing.router import Router


def unseen_word_share(narratives: pd.Series, router: Router) -> float:
    """Share of narrative words that are not in the model's vocabulary.

    Words as the model reads them (normalised, negation marks dropped), function words and negation cues
    left out: they are never features, so they would count as unseen in every call.
    """
    from callroute.language.text import function_words, is_negation_cue, normalize_narrative

    vocabulary = {g for g in (router.scorer.words.coef if router.scorer.words is not None else {}) if " " not in g}
    skip = function_words()
    words = [w for text in narratives for t in normalize_narrative(str(text)).split()
             if (w := t.removeprefix("not_")) not in skip and not is_negation_cue(w)]
    return sum(w not in vocabulary and f"not_{w}" not in vocabulary for w in words) / len(words) if words else 0.0

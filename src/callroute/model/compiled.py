"""The compiled scorer: the fitted pipeline as plain lookup tables, for one call or many.

The scikit-learn pipeline (ColumnTransformer + LogisticRegression) is the training artefact
and what MLflow logs. Scoring one call through it costs milliseconds, nearly all of it in
building a one-row DataFrame and in the ColumnTransformer's machinery; the arithmetic is a
handful of multiplications. :func:`compile_pipeline` turns the fitted pipeline into

* word (and night-time word, and letter) n-gram -> weight (``coef``, times ``idf`` for TF-IDF);
* WordPiece -> scalar (``scale * coef . vector``): a word's meaning contribution is the mean
  of its pieces' scalars times its share of the narrative's weight;
* field value -> weight for each categorical field (unknown values: the training mix);
* numeric coefficients with their imputation mean and scaling;

so the score of a call is a sum of looked-up numbers and the explanation is the same sum
itemised. The tables are derived from the pipeline, never trained on their own;
:meth:`CompiledScorer.disagreement` measures, on given calls, how far they are from the
pipeline's ``decision_function`` (tests hold it under 1e-9; a bundle over it is refused).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import Pipeline

from callroute.facts import FactReader, Reading
from callroute.language.text import (
    clause_ngrams,
    meaning_words_of,
    narrative_clauses,
    ngrams_from_clauses,
    normalize_narrative,
)
from callroute.model.explain import attribute_char_ngrams, build_explanation
from callroute.model.facts import BIAS_COLUMN, BIAS_LABEL, fact_label, readings_features
from callroute.model.features import (
    CATEGORICAL,
    CATEGORICAL_BLOCK,
    CHARS_BLOCK,
    FACTS_BLOCK,
    FEATURES_STEP,
    MEANING_BLOCK,
    MODEL_STEP,
    NIGHT_BLOCK,
    NIGHT_FACTS_BLOCK,
    NUMERIC_BLOCK,
    NUMERIC_INPUTS,
    TIME,
    UNKNOWN,
    UNTYPED_FACTS_BLOCK,
    WORDS_BLOCK,
    numeric_inputs_kept,
    prepare_call,
    prepare_frame,
)
from callroute.schema import Explanation

#: Largest |compiled score - pipeline score| accepted when a bundle is loaded.
EQUIVALENCE_TOLERANCE = 1e-9
_WORD_CACHE = 200_000
_ABSENT = object()


@dataclass(frozen=True)
class TermTable:
    """One text block: n-gram -> coefficient, and how a narrative becomes n-grams.

    Binary counts (the default) make a term's contribution its coefficient alone; for TF-IDF the
    table also keeps each term's idf and the vectorizer's tf and norm settings.
    """

    coef: dict[str, float]
    analyzer: Callable[[str], list[str]] | None  # None: word n-grams from clauses, up to ngram_max
    ngram_max: int = 0
    tfidf: bool = False
    binary: bool = True
    sublinear_tf: bool = False
    norm: str | None = None
    idf: dict[str, float] = field(default_factory=dict)

    def grams(self, narrative: str, clauses: list[list[str]]) -> list[str]:
        """The narrative's n-grams as the vectorizer makes them (from the clauses already split, when it can)."""
        return ngrams_from_clauses(clauses, n_max=self.ngram_max) if self.analyzer is None else self.analyzer(narrative)

    def contributions(self, grams: list[str]) -> dict[str, float]:
        """n-gram -> contribution for the n-grams of one narrative that are in the vocabulary."""
        coef = self.coef
        if not self.tfidf:
            return {g: coef[g] for g in dict.fromkeys(grams) if g in coef}
        counts: dict[str, int] = {}
        for g in grams:
            if g in coef:
                counts[g] = 1 if self.binary else counts.get(g, 0) + 1
        values = {g: ((1.0 + math.log(c)) if self.sublinear_tf else float(c)) * self.idf[g] for g, c in counts.items()}
        if self.norm == "l2":
            length = math.sqrt(sum(v * v for v in values.values()))
        elif self.norm == "l1":
            length = sum(abs(v) for v in values.values())
        else:
            length = 1.0
        return {g: coef[g] * v / length for g, v in values.items()} if length else {}


@dataclass(frozen=True)
class MeaningTable:
    """WordPiece -> ``scale * coef . vector`` and frequency weight; words split as the vectors do."""

    scalars: np.ndarray  # float64, one per WordPiece
    weights: np.ndarray  # float32 as the vectors hold them
    vectors: object  # the StaticVectors, for the WordPiece split (no vector arithmetic at scoring time)
    min_total: float = 0.0  # the vectorizer's floor on the sum of weights (short narratives)
    _words: dict = field(default_factory=dict, repr=False, compare=False)  # word -> (weight, scalar) | None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_words": {}}  # the per-word memo is rebuilt, never persisted

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({**state, "_words": {}})

    def word(self, word: str) -> tuple[float, float] | None:
        """(frequency weight, scalar) of one word, or None when it carries no meaning (remembered per word)."""
        hit = self._words.get(word, _ABSENT)
        if hit is _ABSENT:
            ids = self.vectors.word_pieces(word)
            hit = (float(self.weights[ids[0]]), float(np.mean(self.scalars[list(ids)]))) if ids else None
            if len(self._words) < _WORD_CACHE:
                self._words[word] = hit
        return hit

    def shares(self, words: list[str]) -> dict[str, float]:
        """Each word's contribution (its share of the weighted mean times its scalar), summed over repeats."""
        found = [(w, hit) for w in words if (hit := self.word(w)) is not None]
        total = max(sum(weight for _, (weight, _) in found), self.min_total)
        out: dict[str, float] = {}
        if total <= 0:
            return out
        for w, (weight, scalar) in found:
            out[w] = out.get(w, 0.0) + scalar * (weight / total)
        return out


@dataclass(frozen=True)
class FactTable:
    """Fact column -> weight (by day, and at night when the night block is on), and the reader that reads them."""

    reader: FactReader
    weights: dict[str, float]
    night: dict[str, float]
    untyped: dict[str, float]  # added for calls without a call type
    labels: dict[str, str]  # fact column -> its name in an explanation ("fact: a threat to others")
    untyped_bias: float = 0.0  # what every call without a call type shares (its narrative read alone)

    def contributions(self, readings: dict[str, Reading], at_night: bool, untyped: bool) -> dict[str, float]:
        """Explanation label -> contribution for the facts a call's readings switch on."""
        out: dict[str, float] = {}
        for column in readings_features(self.reader, readings):
            value = (self.weights.get(column, 0.0) + (self.night.get(column, 0.0) if at_night else 0.0)
                     + (self.untyped.get(column, 0.0) if untyped else 0.0))
            out[self.labels[column]] = out.get(self.labels[column], 0.0) + value
        if untyped and self.untyped_bias:
            out[BIAS_LABEL] = self.untyped_bias
        return out


@dataclass(frozen=True)
class FieldTable:
    """A categorical field: value -> weight; unknown values weigh as the training mix does."""

    name: str
    weights: dict[str, float]
    rare: frozenset[str]
    other: float | None  # weight of the OTHER column (rare values), if any
    unknown: float  # frequencies . weights
    mean: float  # training mean of the field's contribution (the explanation's "average call")

    def weight(self, value: str) -> float:
        """The weight of one (prepared) value: its own, OTHER's for a rare one, the mix's for an unseen one."""
        if value in self.rare and self.other is not None:
            return self.other
        return self.weights.get(value, self.unknown)


@dataclass(frozen=True)
class NumericTable:
    """Imputation mean, scaling and coefficient per numeric input (inputs the imputer dropped are absent)."""

    inputs: tuple[int, ...]  # index into NUMERIC_INPUTS
    fill: tuple[float, ...]
    centre: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    group: tuple[str, ...]  # "time" or "premise"
    mean: dict[str, float]  # training mean of each group's contribution


@dataclass(frozen=True)
class Breakdown:
    """One call's score, itemised."""

    score: float
    terms: dict[str, float]  # narrative term -> contribution (n-grams, meaning words, letters)
    facts: dict[str, float]  # fact label -> contribution (day and night weights together)
    night: dict[str, float]  # night-time word -> contribution
    fields: dict[str, float]  # field group -> contribution relative to the average call


@dataclass
class CompiledScorer:
    """Lookup tables derived from one fitted pipeline; scores and explains without pandas or scikit-learn."""

    intercept: float
    base: float
    words: TermTable | None
    chars: TermTable | None
    night: TermTable | None
    meaning: MeaningTable | None
    categorical: tuple[FieldTable, ...]
    numeric: NumericTable
    column_means: np.ndarray  # training means of the pipeline's output columns (to recompile and compare)
    top_k: int = 8
    facts: FactTable | None = None

    # -- scoring -------------------------------------------------------------------
    def read_facts(self, narrative: str) -> dict[str, Reading]:
        """The facts the scorer's reader reads in a narrative ({} for a family without facts)."""
        return self.facts.reader.read(narrative) if self.facts is not None else {}

    def breakdown(self, call: Mapping[str, object], readings: dict[str, Reading] | None = None) -> Breakdown:
        """The call's score as base + facts + narrative terms + night terms + field terms (all exact).

        ``readings`` are the call's facts when already read (the Router reads them once, and a call-taker's
        screening answers may have changed them); read from the narrative otherwise.
        """
        narrative, categories, numbers = prepare_call(call)
        facts: dict[str, float] = {}
        if self.facts is not None:
            if readings is None:
                readings = self.facts.reader.read(narrative)
            facts = self.facts.contributions(readings, numbers[2] == 1.0, categories[0] == UNKNOWN)
        if self.words is None and self.meaning is None and self.chars is None and self.night is None:
            clauses: list[list[str]] = []
        else:
            clauses = narrative_clauses(narrative)
        terms: dict[str, float] = {}
        if self.words is not None:
            terms.update(self.words.contributions(self.words.grams(narrative, clauses)))
        if self.meaning is not None:
            for word, value in self.meaning.shares(meaning_words_of(clauses)).items():
                terms[word] = terms.get(word, 0.0) + value
        if self.chars is not None:
            char_terms = self.chars.contributions(self.chars.analyzer(narrative))
            for word, value in attribute_char_ngrams(char_terms, normalize_narrative(narrative)).items():
                terms[word] = terms.get(word, 0.0) + value
        night: dict[str, float] = {}
        if self.night is not None and numbers[2] == 1.0:  # is_night: the night block reads night-time calls only
            night = self.night.contributions(self.night.grams(narrative, clauses))
        fields: dict[str, float] = {}
        for table, value in zip(self.categorical, categories, strict=True):
            fields[table.name] = table.weight(value) - table.mean
        numeric = self.numeric
        raw = dict.fromkeys(numeric.mean, 0.0)
        for i, fill, centre, scale, coef, group in zip(numeric.inputs, numeric.fill, numeric.centre, numeric.scale,
                                                       numeric.coef, numeric.group, strict=True):
            x = numbers[i]
            raw[group] += coef * (((fill if x != x else x) - centre) / scale)
        for group, value in raw.items():
            fields[group] = value - numeric.mean[group]
        score = self.base + sum(facts.values()) + sum(terms.values()) + sum(night.values()) + sum(fields.values())
        return Breakdown(score, terms, facts, night, fields)

    def score(self, call: Mapping[str, object]) -> float:
        """The pipeline's decision function for one call."""
        return self.breakdown(call).score

    def score_many(self, calls: Iterable[Mapping[str, object]]) -> np.ndarray:
        """Scores of many calls (the batch path: one row at a time through the same tables)."""
        return np.fromiter((self.breakdown(c).score for c in calls), dtype=np.float64)

    def explain(self, call: Mapping[str, object], field_values: dict[str, str],
                readings: dict[str, Reading] | None = None) -> Explanation:
        """The exact explanation of the call's score (base + contributions + rest == score)."""
        parts = self.breakdown(call, readings)
        return build_explanation(parts.score, self.base, parts.terms, parts.night, parts.fields, field_values,
                                 top_k=self.top_k, facts=parts.facts)

    # -- proof against the pipeline ------------------------------------------------------
    def differs_from(self, other: CompiledScorer) -> str | None:
        """The first table in which two scorers differ (None when every weight is identical)."""
        if (self.intercept, self.base) != (other.intercept, other.base):
            return "intercept or base score"
        for name in ("words", "chars", "night"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if (mine is None) != (theirs is None):
                return f"{name}: present in one scorer only"
            if mine is not None and (mine.coef != theirs.coef or mine.idf != theirs.idf
                                     or mine.ngram_max != theirs.ngram_max):
                changed = sorted(k for k in mine.coef.keys() | theirs.coef.keys()
                                 if mine.coef.get(k) != theirs.coef.get(k))
                return f"{name}: weights differ ({len(changed)} terms, e.g. {changed[:3]})"
        if (self.meaning is None) != (other.meaning is None):
            return "meaning: present in one scorer only"
        if self.meaning is not None and not (np.array_equal(self.meaning.scalars, other.meaning.scalars)
                                             and np.array_equal(self.meaning.weights, other.meaning.weights)):
            return "meaning: WordPiece scalars differ"
        if self.meaning is not None and self.meaning.min_total != other.meaning.min_total:
            return "meaning: the short-narrative floor differs"
        if (self.facts is None) != (other.facts is None):
            return "facts: present in one scorer only"
        if self.facts is not None and (self.facts.weights != other.facts.weights
                                       or self.facts.night != other.facts.night
                                       or self.facts.untyped != other.facts.untyped):
            return "facts: weights differ"
        if self.categorical != other.categorical:
            return "categorical field weights differ"
        if self.numeric != other.numeric:
            return "numeric coefficients, imputation or scaling differ"
        return None

    def disagreement(self, pipeline: Pipeline, calls: list[Mapping[str, object]]) -> float:
        """Largest |compiled - pipeline decision_function| over ``calls`` (pandas and scikit-learn, so slow)."""
        import pandas as pd

        frame = pd.DataFrame(list(calls))
        expected = pipeline.decision_function(prepare_frame(frame))
        actual = self.score_many(frame.to_dict("records"))
        return float(np.max(np.abs(expected - actual))) if len(calls) else 0.0


def compile_pipeline(pipeline: Pipeline, column_means: np.ndarray, *, top_k: int = 8) -> CompiledScorer:
    """Tables from a fitted pipeline; ``column_means`` are the training means of its output columns."""
    columns = pipeline.named_steps[FEATURES_STEP]
    model = pipeline.named_steps[MODEL_STEP]
    coef = np.asarray(model.coef_[0], dtype=np.float64)
    intercept = float(model.intercept_[0])
    column_means = np.asarray(column_means, dtype=np.float64)
    blocks = columns.output_indices_
    fitted = columns.named_transformers_

    def block_coef(name: str) -> np.ndarray:
        return coef[blocks[name]]

    words = _term_table(fitted[WORDS_BLOCK], block_coef(WORDS_BLOCK)) if WORDS_BLOCK in fitted else None
    chars = _term_table(fitted[CHARS_BLOCK], block_coef(CHARS_BLOCK)) if CHARS_BLOCK in fitted else None
    night = _term_table(fitted[NIGHT_BLOCK], block_coef(NIGHT_BLOCK)) if NIGHT_BLOCK in fitted else None
    facts = None
    if FACTS_BLOCK in fitted:
        vectorizer = fitted[FACTS_BLOCK]
        names = [str(n) for n in vectorizer.get_feature_names_out()]
        catalogue = vectorizer.reader_.catalogue
        def fact_weights(block: str) -> dict[str, float]:
            if block not in fitted:
                return {}
            columns = [str(n) for n in fitted[block].get_feature_names_out()]
            return {n: float(w) for n, w in zip(columns, block_coef(block), strict=True)}

        untyped = fact_weights(UNTYPED_FACTS_BLOCK)

        facts = FactTable(
            reader=vectorizer.reader_,
            weights=fact_weights(FACTS_BLOCK),
            night=fact_weights(NIGHT_FACTS_BLOCK),
            untyped=untyped,
            untyped_bias=untyped.pop(BIAS_COLUMN, 0.0),
            labels={n: fact_label(catalogue, n) for n in names},
        )
    meaning = None
    if MEANING_BLOCK in fitted:
        vectorizer = fitted[MEANING_BLOCK]
        vectors = vectorizer.vectors_
        scalars = vectors.vectors.astype(np.float64) @ block_coef(MEANING_BLOCK) * float(vectorizer.scale)
        meaning = MeaningTable(scalars=scalars, weights=vectors.weights, vectors=vectors,
                               min_total=float(vectorizer.min_total_))

    encoder = fitted[CATEGORICAL_BLOCK]
    cat_coef = block_coef(CATEGORICAL_BLOCK)
    cat_means = column_means[blocks[CATEGORICAL_BLOCK]]
    tables, offset = [], 0
    for name, categories, freq, rare in zip(CATEGORICAL, encoder.categories_, encoder.frequencies_,
                                            encoder.rare_values_, strict=True):
        w = cat_coef[offset : offset + len(categories)]
        m = cat_means[offset : offset + len(categories)]
        weights = {c: float(v) for c, v in zip(categories, w, strict=True)}
        tables.append(FieldTable(
            name=name,
            weights=weights,
            rare=frozenset(rare),
            other=weights.get("OTHER") if rare else None,
            unknown=float(np.dot(freq, w)) if len(categories) else 0.0,
            mean=float(np.dot(w, m)),
        ))
        offset += len(categories)

    numeric_pipe = fitted[NUMERIC_BLOCK]
    imputer, scaler = numeric_pipe.named_steps["impute"], numeric_pipe.named_steps["scale"]
    kept = [NUMERIC_INPUTS.index(name) for name in numeric_inputs_kept(numeric_pipe)]
    num_coef = block_coef(NUMERIC_BLOCK)
    num_means = column_means[blocks[NUMERIC_BLOCK]]
    centre = scaler.mean_ if scaler.with_mean else np.zeros(len(kept))
    scale = scaler.scale_ if scaler.with_std and scaler.scale_ is not None else np.ones(len(kept))
    group = tuple("time" if NUMERIC_INPUTS[i] in TIME else "premise" for i in kept)
    means = {g: 0.0 for g in ("time", "premise") if any(x == g for x in group)}
    for k, g in enumerate(group):
        means[g] += float(num_coef[k] * num_means[k])
    numeric = NumericTable(
        inputs=tuple(kept),
        fill=tuple(float(imputer.statistics_[i]) for i in kept),
        centre=tuple(float(c) for c in centre),
        scale=tuple(float(s) for s in scale),
        coef=tuple(float(c) for c in num_coef),
        group=group,
        mean=means,
    )
    base = intercept + sum(t.mean for t in tables) + sum(means.values())
    return CompiledScorer(intercept=intercept, base=base, words=words, chars=chars, night=night, meaning=meaning,
                          categorical=tuple(tables), numeric=numeric, column_means=column_means, top_k=top_k,
                          facts=facts)


def _term_table(vectorizer: CountVectorizer, coef: np.ndarray) -> TermTable:
    """n-gram -> coefficient for a fitted Count/TfidfVectorizer; its own analyzer unless it is ``clause_ngrams``."""
    analyzer = vectorizer.analyzer
    ngram_max = 0
    own: Callable[[str], list[str]] | None = vectorizer.build_analyzer()
    if isinstance(analyzer, partial) and analyzer.func is clause_ngrams and not analyzer.args:
        # clause_ngrams is ngrams_from_clauses(narrative_clauses(...)): reuse the clauses already computed.
        ngram_max, own = int(analyzer.keywords.get("n_max", 2)), None
    weights = {term: float(coef[j]) for term, j in vectorizer.vocabulary_.items()}
    if not isinstance(vectorizer, TfidfVectorizer):
        if not vectorizer.binary:
            raise ValueError("only binary CountVectorizers compile (raw counts are not used by any family)")
        return TermTable(coef=weights, analyzer=own, ngram_max=ngram_max)
    idf = vectorizer.idf_ if vectorizer.use_idf else np.ones(len(weights))
    return TermTable(
        coef=weights, analyzer=own, ngram_max=ngram_max, tfidf=True, binary=vectorizer.binary,
        sublinear_tf=vectorizer.sublinear_tf, norm=vectorizer.norm,
        idf={term: float(idf[j]) for term, j in vectorizer.vocabulary_.items()},
    )


def probe_calls(scorer: CompiledScorer, n: int = 300, *, seed: int = 0) -> list[dict]:
    """Calls that exercise every table, built from the tables themselves (checking a bundle needs no stored calls).

    Vocabulary terms in random clauses (negated, at night, by day); known, rare, unseen and missing
    field values; extreme and missing times and premise counts.
    """
    import random
    from datetime import datetime as _dt

    rng = random.Random(seed)
    terms = sorted({t for table in (scorer.words, scorer.night) if table is not None for t in table.coef}
                   | ({"knife", "confused", "pistol", "screaming", "blanket", "cold"} if scorer.meaning else set()))
    if scorer.facts is not None:  # the catalogue's own examples, cut into words and joined at random below
        examples = (example for fact in scorer.facts.reader.catalogue.facts for example in fact.examples)
        terms = {*terms, *(word for example in examples for word in example.split())}
        terms = sorted(terms)
    terms = [t.replace("not_", "") for t in terms] or ["call"]
    joins = [" ", ", ", ". ", " no ", " but ", " and ", " NEG ", "; "]
    times = [None, "garbage", _dt(2024, 6, 1, 2, 30), _dt(2024, 6, 1, 14, 0), _dt(2024, 6, 1, 22, 0),
             _dt(2024, 6, 1, 4, 59), _dt(1, 1, 1), _dt(9999, 12, 31, 23, 59)]
    calls = []
    for i in range(n):
        words = [rng.choice(terms) for _ in range(rng.randint(1, 8))]
        narrative = "".join(w + rng.choice(joins) for w in words[:-1]) + words[-1]
        call: dict = {"narrative": narrative.upper() if i % 2 else narrative}
        for table in scorer.categorical:
            options = [*table.weights, *sorted(table.rare)[:3], "NEVER-SEEN-VALUE", None]
            call[table.name] = rng.choice(options)
        call["received_at"] = rng.choice(times) if i % 3 else _dt(2024, 1, 1, rng.randrange(24), rng.randrange(60))
        call["location_prior_calls"] = rng.choice([None, 0, 1, 3, 40, 10_000])
        calls.append(call)
    return calls

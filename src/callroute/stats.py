"""Statistics shared by training, evaluation and the monitor: interval bounds, shares, stability indices.

The bottom layer (no callroute import): the monitor that serving runs and the training job both use them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def wilson_interval(successes: int | np.ndarray, n: int | np.ndarray, z: float = 1.96):
    """Wilson score interval for a proportion (95% at z = 1.96; well behaved near 0, unlike the normal one)."""
    n_arr = np.maximum(np.asarray(n, dtype=float), 1.0)
    p = np.asarray(successes, dtype=float) / n_arr
    centre = (p + z * z / (2 * n_arr)) / (1 + z * z / n_arr)
    half = z * np.sqrt(p * (1 - p) / n_arr + z * z / (4 * n_arr * n_arr)) / (1 + z * z / n_arr)
    low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


OUTCOME_FLAGS = ("weapon_found", "violence", "backup_requested", "injury")


def psi(expected: list[float] | np.ndarray, observed: list[float] | np.ndarray, floor: float = 1e-4) -> float:
    """Population stability index between two share vectors (same bins): sum (o - e) * ln(o / e)."""
    e = np.maximum(np.asarray(expected, dtype=float), floor)
    o = np.maximum(np.asarray(observed, dtype=float), floor)
    return float(np.sum((o - e) * np.log(o / e)))


def risk_shares(risk: np.ndarray, edges: list[float]) -> list[float]:
    """Share of calls in each risk bin (``edges`` inner cut points; the outer bins are open)."""
    counts = np.bincount(np.searchsorted(np.asarray(edges), np.asarray(risk, dtype=float), side="right"),
                         minlength=len(edges) + 1)
    return (counts / max(len(risk), 1)).tolist()


def call_type_shares(call_types: pd.Series, categories: list[str]) -> dict[str, float]:
    """Share of each reference call type, the rest (and unknown) under OTHER."""
    values = call_types.fillna("OTHER").astype(str)
    known = [c for c in categories if c != "OTHER"]
    values = values.where(values.isin(known), "OTHER")
    shares = values.value_counts(normalize=True)
    return {c: float(shares.get(c, 0.0)) for c in categories}

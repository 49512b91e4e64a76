"""Calibration: the model's score (log-odds) -> escalation probability.

Fitted on the calibration split only, never on the rows the model was fitted on.
``escalation_risk`` in every decision is exactly ``ScoreCalibrator.predict(score)``.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression


class ScoreCalibrator:
    """Platt scaling ("sigmoid") or isotonic regression on the one-dimensional score."""

    def __init__(self, *, method: str = "sigmoid") -> None:
        self.method = method

    def fit(self, scores: np.ndarray, y: np.ndarray) -> ScoreCalibrator:
        """Fit the map from scores to observed escalation."""
        scores = np.asarray(scores, dtype=float).reshape(-1, 1)
        y = np.asarray(y, dtype=int)
        if len(np.unique(y)) < 2:
            raise ValueError("calibration split needs both escalated and non-escalated calls")
        if self.method == "sigmoid":
            self.model_ = LogisticRegression(C=1e6, max_iter=1000).fit(scores, y)
        elif self.method == "isotonic":
            self.model_ = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores.ravel(), y)
        else:
            raise ValueError(f"unknown calibration method {self.method!r}")
        return self

    def risk(self, score: float) -> float:
        """:meth:`predict` for one score, in plain arithmetic (the single-call path; equal to 1e-12)."""
        if self.method == "sigmoid":
            z = float(self.model_.coef_[0, 0]) * score + float(self.model_.intercept_[0])
            return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        iso = self.model_
        clipped = min(max(score, float(iso.X_min_)), float(iso.X_max_))
        return min(max(float(np.interp(clipped, iso.X_thresholds_, iso.y_thresholds_)), 0.0), 1.0)

    def predict(self, scores: np.ndarray) -> np.ndarray:
        """Escalation probability for each score."""
        scores = np.asarray(scores, dtype=float)
        if self.method == "sigmoid":
            return self.model_.predict_proba(scores.reshape(-1, 1))[:, 1]
        return np.clip(self.model_.predict(scores), 0.0, 1.0)

"""Plots logged with every training run (rendered headless to PNG)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
import numpy as np

from callroute.training.evaluate import reliability_table


def reliability_diagram(risk: np.ndarray, y: np.ndarray, path: Path, *, title: str) -> Path:
    """Predicted risk against observed escalation per equal-mass bin, with the diagonal."""
    table = reliability_table(risk, y)
    fig, ax = plt.subplots(figsize=(5, 5))
    top = max(float(table["mean_risk"].max()), float(table["observed_rate"].max()), 0.05) * 1.1
    ax.plot([0, top], [0, top], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(table["mean_risk"], table["observed_rate"], marker="o", label="model (10 equal-mass bins)")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("predicted escalation risk")
    ax.set_ylabel("observed escalation rate")
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def risk_histogram(risk: np.ndarray, y: np.ndarray, threshold: float, path: Path, *, title: str) -> Path:
    """Distribution of risk for escalated and other calls, with the diversion threshold."""
    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.linspace(0, 1, 41)
    ax.hist(risk[y == 0], bins=bins, alpha=0.6, label="did not escalate", density=True)
    ax.hist(risk[y == 1], bins=bins, alpha=0.6, label="escalated", density=True)
    ax.axvline(threshold, color="black", linestyle="--", label=f"threshold {threshold:.3f}")
    ax.set_yscale("log")
    ax.set_xlabel("escalation risk")
    ax.set_ylabel("density (log)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

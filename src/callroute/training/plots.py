"""Plots logged with every training run (rendered headless to PNG)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
import numpy as np

from callroute.training.evaluate import reliability_table


def _save(fig, path: Path) -> Path:
    """Lay out, write as PNG, free the figure."""
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


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
    return _save(fig, path)


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
    return _save(fig, path)


def roc_pr_curves(risk: np.ndarray, y: np.ndarray, path: Path, *, title: str) -> Path:
    """ROC and precision-recall curves of the escalation risk, side by side, with AUC and average precision."""
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    if len(np.unique(y)) == 2:
        fpr, tpr, _ = roc_curve(y, risk)
        left.plot(fpr, tpr, label=f"model (AUC {roc_auc_score(y, risk):.3f})")
        precision, recall, _ = precision_recall_curve(y, risk)
        right.plot(recall, precision, label=f"model (AP {average_precision_score(y, risk):.3f})")
    left.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    right.axhline(float(np.mean(y)), linestyle="--", color="grey", label=f"base rate {np.mean(y):.1%}")
    left.set_xlabel("false positive rate")
    left.set_ylabel("true positive rate (escalations flagged)")
    right.set_xlabel("recall")
    right.set_ylabel("precision")
    for ax in (left, right):
        ax.legend(loc="lower right" if ax is left else "upper right")
    fig.suptitle(title)
    return _save(fig, path)


def diversion_curve(risk: np.ndarray, y: np.ndarray, red_line: np.ndarray, threshold: float, target: float,
                    path: Path, *, title: str) -> Path:
    """Diverted share against unsafe-diversion rate as the threshold moves, with the chosen threshold marked."""
    eligible = ~np.asarray(red_line, dtype=bool)
    order = np.argsort(risk[eligible], kind="stable")
    sorted_y = np.asarray(y)[eligible][order]
    n = np.arange(1, len(sorted_y) + 1)
    share = n / len(risk)
    unsafe = np.cumsum(sorted_y) / n
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(share * 100, unsafe * 100, label="moving the threshold")
    ax.axhline(target * 100, linestyle="--", color="grey", label=f"target {target:.0%}")
    chosen = risk[eligible] <= threshold
    if chosen.any():
        ax.plot(chosen.sum() / len(risk) * 100, np.asarray(y)[eligible][chosen].mean() * 100, "o", color="black",
                label=f"chosen threshold {threshold:.3f}")
    ax.set_xlabel("calls sent to the crisis team alone (%)")
    ax.set_ylabel("of them, escalated (%)")
    ax.set_ylim(0, max(float(np.nanmax(unsafe[n >= 30])) * 100 if (n >= 30).any() else 10, target * 200))
    ax.set_title(title)
    ax.legend(loc="upper left")
    return _save(fig, path)


def district_bars(table, target: float, path: Path, *, title: str) -> Path:
    """Per district: unsafe-diversion rate with its Wilson interval against the target, and diverted share."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    names = [str(d) for d in table.index]
    x = np.arange(len(names))
    rate = table["unsafe_diversion_rate"].to_numpy() * 100
    low = rate - table["unsafe_ci_low"].to_numpy() * 100
    high = table["unsafe_ci_high"].to_numpy() * 100 - rate
    colours = ["tab:green" if c == 1.0 else "tab:grey" for c in table["certified"]]
    left.bar(x, rate, yerr=[low, high], color=colours, capsize=4)
    left.axhline(target * 100, linestyle="--", color="black", label=f"target {target:.0%}")
    left.set_ylabel("unsafe-diversion rate (%), Wilson 95%")
    left.legend(loc="upper right")
    right.bar(x, table["diverted_share"].to_numpy() * 100, color=colours)
    right.set_ylabel("diverted share (%)")
    for ax in (left, right):
        ax.set_xticks(x, names, rotation=30, ha="right")
    fig.suptitle(f"{title} (green: certified threshold; grey: city-wide fallback)")
    return _save(fig, path)

"""Inception Score (Salimans et al. 2016): ``exp(E_x KL(p(y|x) || p(y)))``."""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError

_EPS = 1e-12


def inception_score(probs: np.ndarray, num_splits: int = 10) -> tuple[float, float]:
    """IS of ``(N, C)`` class probabilities: ``(mean, std)`` over ``num_splits``.

    The samples are cut into ``num_splits`` consecutive, equal-as-possible
    splits (as in the original code); each split's marginal ``p(y)`` is its own
    mean. Rows must be probabilities (apply softmax to logits first).
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2:
        raise MetricsError(
            f"probs must be a 2-D (num_samples, num_classes) array, got {p.shape}"
        )
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise MetricsError(
            "probs rows must be non-negative and sum to 1; apply softmax to logits"
        )
    if not 1 <= num_splits <= p.shape[0]:
        raise MetricsError(
            f"num_splits must be between 1 and the sample count {p.shape[0]}, "
            f"got {num_splits}"
        )
    scores = []
    for part in np.array_split(p, num_splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = part * (np.log(part + _EPS) - np.log(marginal + _EPS))
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax in float64."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)

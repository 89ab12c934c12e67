"""Improved precision and recall (Kynkäänniemi et al. 2019).

Each set's manifold is the union of balls around its samples, each ball's
radius the distance to the sample's k-th nearest neighbour in its own set.
Precision is the fraction of generated samples inside the real manifold,
recall the fraction of real samples inside the generated one. Distances are
computed ``batch_size`` rows at a time, so memory is ``O(batch_size * N)``.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.scores.statistics import as_feature_array


def squared_norms(x: np.ndarray) -> np.ndarray:
    """Each row's squared Euclidean norm."""
    return np.einsum("ij,ij->i", x, x)


def pairwise_sq_distances(
    a: np.ndarray, a_norms: np.ndarray, b: np.ndarray, b_norms: np.ndarray
) -> np.ndarray:
    """Squared distances between the rows of ``a`` and ``b`` (given their squared norms)."""
    d2 = a_norms[:, None] - 2.0 * (a @ b.T) + b_norms[None, :]
    return np.maximum(d2, 0.0)


def knn_radii(features: np.ndarray, k: int = 3, batch_size: int = 1024) -> np.ndarray:
    """Squared distance from each row to its k-th nearest other row."""
    x = as_feature_array(features)
    n = x.shape[0]
    if not 1 <= k < n:
        raise MetricsError(f"k must be between 1 and {n - 1} for {n} samples, got {k}")
    norms = squared_norms(x)
    radii = np.empty(n)
    for start in range(0, n, batch_size):
        d2 = pairwise_sq_distances(
            x[start : start + batch_size], norms[start : start + batch_size], x, norms
        )
        # Index k, not k-1: the row's distance to itself (0) is the smallest.
        radii[start : start + batch_size] = np.partition(d2, k, axis=1)[:, k]
    return radii


def manifold_coverage(
    manifold: np.ndarray,
    manifold_radii: np.ndarray,
    probes: np.ndarray,
    batch_size: int = 1024,
) -> float:
    """Fraction of ``probes`` within some manifold sample's k-NN ball."""
    m_norms = squared_norms(manifold)
    p_norms = squared_norms(probes)
    inside = 0
    for start in range(0, probes.shape[0], batch_size):
        d2 = pairwise_sq_distances(
            probes[start : start + batch_size],
            p_norms[start : start + batch_size],
            manifold,
            m_norms,
        )
        inside += int(np.any(d2 <= manifold_radii[None, :], axis=1).sum())
    return inside / probes.shape[0]


def feature_pair(real_features, fake_features) -> tuple[np.ndarray, np.ndarray]:
    """Real and generated features as float arrays of one width (one error line if not)."""
    real = as_feature_array(real_features, "real_features")
    fake = as_feature_array(fake_features, "fake_features")
    if real.shape[1] != fake.shape[1]:
        raise MetricsError(
            f"feature dimensions differ ({real.shape[1]} vs {fake.shape[1]}); "
            "use one extractor for both sets"
        )
    return real, fake


def precision_recall(
    real_features: np.ndarray,
    fake_features: np.ndarray,
    k: int = 3,
    batch_size: int = 1024,
) -> tuple[float, float]:
    """Improved ``(precision, recall)`` of generated vs real ``(N, D)`` features."""
    real, fake = feature_pair(real_features, fake_features)
    real_radii = knn_radii(real, k, batch_size)
    fake_radii = knn_radii(fake, k, batch_size)
    precision = manifold_coverage(real, real_radii, fake, batch_size)
    recall = manifold_coverage(fake, fake_radii, real, batch_size)
    return precision, recall

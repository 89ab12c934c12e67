"""Density and coverage (Naeem et al. 2020, "Reliable Fidelity and Diversity
Metrics for Generative Models").

Both use only the real samples' k-NN balls: ``B(X_i, r_i)`` with ``r_i`` the
distance from real ``X_i`` to its k-th nearest other real sample. For N real
and M generated samples,

    density  = 1/(k M) * sum_j sum_i 1[Y_j in B(X_i, r_i)]
    coverage = 1/N     * sum_i 1[some Y_j in B(X_i, r_i)]

Density counts how many real balls each generated sample falls in (about 1
when the two distributions match; above 1 where generated samples crowd the
dense regions of the real data; unbounded), coverage the share of real balls
that hold at least one generated sample (in [0, 1]). Balls are open (``<``),
as in the authors' code. Distances come from the precision/recall module
(the same k-NN radii and pairwise distances), ``batch_size`` real rows at a
time, so memory is ``O(batch_size * M)``.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.scores.precision_recall import (
    feature_pair,
    knn_radii,
    pairwise_sq_distances,
    squared_norms,
)


def density_coverage(
    real_features: np.ndarray,
    fake_features: np.ndarray,
    k: int = 5,
    batch_size: int = 1024,
) -> tuple[float, float]:
    """``(density, coverage)`` of generated vs real ``(N, D)`` features."""
    real, fake = feature_pair(real_features, fake_features)
    if fake.shape[0] < 1:
        raise MetricsError("density and coverage need at least 1 generated sample")
    if batch_size < 1:
        raise MetricsError(f"batch_size must be >= 1, got {batch_size}")
    radii = knn_radii(real, k, batch_size)  # squared, like the distances below
    real_norms, fake_norms = squared_norms(real), squared_norms(fake)
    in_balls = 0  # pairs (real i, generated j) with Y_j inside X_i's ball
    covered = 0  # real balls holding a generated sample
    for start in range(0, real.shape[0], batch_size):
        stop = start + batch_size
        d2 = pairwise_sq_distances(real[start:stop], real_norms[start:stop], fake, fake_norms)
        inside = d2 < radii[start:stop, None]
        in_balls += int(inside.sum())
        covered += int(inside.any(axis=1).sum())
    return in_balls / (k * fake.shape[0]), covered / real.shape[0]

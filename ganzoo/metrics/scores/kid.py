"""Kernel Inception Distance: unbiased MMD² with a cubic polynomial kernel.

Follows Bińkowski et al. 2018 ("Demystifying MMD GANs") and clean-fid's
``kernel_distance``: ``k(x, y) = (x·y / d + 1)^3``; each of ``num_subsets``
draws takes ``m = min(subset_size, N1, N2)`` samples without replacement from
each set, and the unbiased MMD² estimate is averaged over the draws.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.scores.statistics import as_feature_array


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The cubic kernel ``(x·y / d + 1)^3`` between the rows of ``x`` and ``y``."""
    dim = x.shape[1]
    return (x @ y.T / dim + 1.0) ** 3


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD² between equal-sized samples ``x`` and ``y`` (cubic kernel)."""
    m = x.shape[0]
    k_xx = polynomial_kernel(x, x)
    k_yy = polynomial_kernel(y, y)
    k_xy = polynomial_kernel(x, y)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within - 2.0 * k_xy.sum() / (m * m))


def kernel_inception_distance(
    features1: np.ndarray,
    features2: np.ndarray,
    num_subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """KID between two ``(N, D)`` feature arrays: ``(mean, std)`` over subsets.

    The mean is an unbiased estimate of MMD² (it can be slightly negative when
    the two distributions are equal); the std is the spread across subsets.
    """
    f1 = as_feature_array(features1, "features1")
    f2 = as_feature_array(features2, "features2")
    if f1.shape[1] != f2.shape[1]:
        raise MetricsError(
            f"feature dimensions differ ({f1.shape[1]} vs {f2.shape[1]}); "
            "use one extractor for both sets"
        )
    m = min(subset_size, f1.shape[0], f2.shape[0])
    if m < 2:
        raise MetricsError(f"KID needs at least 2 samples per set, got {m}")
    if num_subsets < 1:
        raise MetricsError(f"num_subsets must be >= 1, got {num_subsets}")
    rng = np.random.default_rng(seed)
    values = np.empty(num_subsets)
    for i in range(num_subsets):
        x = f1[rng.choice(f1.shape[0], m, replace=False)]
        y = f2[rng.choice(f2.shape[0], m, replace=False)]
        values[i] = mmd2_unbiased(x, y)
    return float(values.mean()), float(values.std())

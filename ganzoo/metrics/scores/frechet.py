"""Fréchet distance between Gaussians fitted to feature sets (FID's formula).

All arithmetic is float64 NumPy. The trace of the matrix square root of
``sigma1 @ sigma2`` is computed without a general (non-symmetric) ``sqrtm``:
``sigma1 @ sigma2`` is similar to ``A @ sigma2 @ A`` with ``A = sqrt(sigma1)``,
which is symmetric positive semi-definite, so two symmetric eigendecompositions
give the trace exactly and stably.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.scores.statistics import as_feature_array, feature_statistics


def _symmetric_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric PSD matrix; tiny negative eigenvalues clip to 0."""
    sym = (matrix + matrix.T) / 2.0
    eigvals, eigvecs = np.linalg.eigh(sym)
    return (eigvecs * np.sqrt(np.clip(eigvals, 0.0, None))) @ eigvecs.T


def trace_sqrt_product(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """``trace(sqrtm(sigma1 @ sigma2))`` for symmetric PSD ``sigma1``, ``sigma2``."""
    root1 = _symmetric_sqrt(np.asarray(sigma1, dtype=np.float64))
    inner = root1 @ np.asarray(sigma2, dtype=np.float64) @ root1
    eigvals = np.linalg.eigvalsh((inner + inner.T) / 2.0)
    return float(np.sqrt(np.clip(eigvals, 0.0, None)).sum())


def frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray
) -> float:
    """Fréchet distance ``|mu1-mu2|^2 + tr(S1 + S2 - 2 sqrt(S1 S2))`` of two Gaussians."""
    mu1 = np.atleast_1d(np.asarray(mu1, dtype=np.float64))
    mu2 = np.atleast_1d(np.asarray(mu2, dtype=np.float64))
    sigma1 = np.atleast_2d(np.asarray(sigma1, dtype=np.float64))
    sigma2 = np.atleast_2d(np.asarray(sigma2, dtype=np.float64))
    dim = mu1.shape[0]
    for name, arr, shape in (
        ("mu2", mu2, (dim,)),
        ("sigma1", sigma1, (dim, dim)),
        ("sigma2", sigma2, (dim, dim)),
    ):
        if arr.shape != shape:
            raise MetricsError(
                f"{name} has shape {arr.shape} but mu1 implies {shape}; "
                "both feature sets must come from the same extractor"
            )
    diff = mu1 - mu2
    value = (
        diff @ diff
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2.0 * trace_sqrt_product(sigma1, sigma2)
    )
    # Rounding can leave a tiny negative value for identical inputs.
    return float(max(value, 0.0))


def fid_from_features(features1: np.ndarray, features2: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two ``(N, D)`` feature arrays."""
    mu1, sigma1 = feature_statistics(as_feature_array(features1, "features1"))
    mu2, sigma2 = feature_statistics(as_feature_array(features2, "features2"))
    return frechet_distance(mu1, sigma1, mu2, sigma2)


def intra_fid_from_features(
    real_features: np.ndarray,
    real_labels: np.ndarray,
    fake_features: np.ndarray,
    fake_labels: np.ndarray,
) -> tuple[float, dict[int, float]]:
    """Intra-class FID: ``(mean over classes, {class: FID})``.

    Each class's FID compares the generated samples of that label with the
    real samples of that class; the classes are those of the generated
    labels, and each needs at least 2 samples on both sides.
    """
    real_labels = np.asarray(real_labels).reshape(-1)
    fake_labels = np.asarray(fake_labels).reshape(-1)
    per_class = {}
    for label in np.unique(fake_labels).tolist():
        real = np.asarray(real_features)[real_labels == label]
        fake = np.asarray(fake_features)[fake_labels == label]
        if len(real) < 2 or len(fake) < 2:
            raise MetricsError(
                f"class {label} has {len(real)} real and {len(fake)} generated samples; "
                "intra-class FID needs at least 2 of each"
            )
        per_class[int(label)] = fid_from_features(real, fake)
    if not per_class:
        raise MetricsError("intra-class FID needs generated samples of at least one class")
    return float(np.mean(list(per_class.values()))), per_class

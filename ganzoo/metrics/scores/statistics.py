"""Mean and covariance of feature sets, all at once or streamed batch by batch."""

from __future__ import annotations

import numpy as np

from ganzoo.errors import MetricsError


def as_feature_array(features: np.ndarray, what: str = "features") -> np.ndarray:
    """``features`` as a float64 ``(N, D)`` array, or a clear error."""
    arr = np.asarray(features, dtype=np.float64)
    if arr.ndim != 2:
        raise MetricsError(
            f"{what} must be a 2-D (num_samples, feature_dim) array, got shape "
            f"{arr.shape}; flatten or pool the extractor's output first"
        )
    return arr


def feature_statistics(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance (unbiased, ``ddof=1``) of a ``(N, D)`` feature array."""
    arr = as_feature_array(features)
    if arr.shape[0] < 2:
        raise MetricsError(
            f"feature statistics need at least 2 samples, got {arr.shape[0]}"
        )
    dim = arr.shape[1]
    return arr.mean(axis=0), np.cov(arr, rowvar=False).reshape(dim, dim)


class RunningStatistics:
    """Accumulates mean and covariance of features without keeping them.

    Sums are float64 and taken about a shift (the first batch's mean), which
    keeps the ``E[xx^T] - mu mu^T`` subtraction from losing precision.
    """

    def __init__(self) -> None:
        self.count = 0
        self._shift: np.ndarray | None = None
        self._sum: np.ndarray | None = None
        self._outer: np.ndarray | None = None

    def update(self, features: np.ndarray) -> None:
        """Add a ``(B, D)`` batch of features."""
        arr = as_feature_array(features)
        if arr.shape[0] == 0:
            return
        if self._shift is None:
            self._shift = arr.mean(axis=0)
            dim = arr.shape[1]
            self._sum = np.zeros(dim)
            self._outer = np.zeros((dim, dim))
        elif arr.shape[1] != self._shift.shape[0]:
            raise MetricsError(
                f"feature batch has dimension {arr.shape[1]}, earlier batches had "
                f"{self._shift.shape[0]}; use one extractor for the whole set"
            )
        centred = arr - self._shift
        self._sum += centred.sum(axis=0)
        self._outer += centred.T @ centred
        self.count += arr.shape[0]

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """``(mu, sigma)`` of everything added so far (``ddof=1``)."""
        if self.count < 2 or self._shift is None:
            raise MetricsError(
                f"feature statistics need at least 2 samples, got {self.count}"
            )
        mean_c = self._sum / self.count
        sigma = (self._outer - self.count * np.outer(mean_c, mean_c)) / (self.count - 1)
        return self._shift + mean_c, (sigma + sigma.T) / 2.0

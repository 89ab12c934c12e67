"""Fréchet distance against SciPy and closed forms."""

import numpy as np
import pytest
import scipy.linalg

from ganzoo.metrics import (
    MetricsError,
    RunningStatistics,
    feature_statistics,
    fid_from_features,
    frechet_distance,
)


def scipy_frechet(mu1, s1, mu2, s2):
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def random_gaussian(rng, dim, n):
    a = rng.normal(size=(dim, dim))
    x = rng.normal(size=(n, dim)) @ a + rng.normal(size=dim)
    return feature_statistics(x)


@pytest.mark.parametrize("dim", [2, 16, 64])
def test_matches_scipy_sqrtm(dim):
    rng = np.random.default_rng(dim)
    mu1, s1 = random_gaussian(rng, dim, 4 * dim)
    mu2, s2 = random_gaussian(rng, dim, 4 * dim)
    expected = scipy_frechet(mu1, s1, mu2, s2)
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-6)


def test_diagonal_closed_form():
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.normal(size=8), rng.normal(size=8)
    v1, v2 = rng.uniform(0.1, 3, size=8), rng.uniform(0.1, 3, size=8)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)
    got = frechet_distance(mu1, np.diag(v1), mu2, np.diag(v2))
    assert got == pytest.approx(expected, rel=1e-10)


def test_same_set_is_zero():
    x = np.random.default_rng(1).normal(size=(300, 32))
    assert fid_from_features(x, x) == pytest.approx(0.0, abs=1e-8)


def test_rank_deficient_covariances_do_not_fail():
    x = np.random.default_rng(2).normal(size=(10, 64))  # 10 samples, 64 dims
    y = x + 1.0
    assert fid_from_features(x, y) == pytest.approx(64.0, rel=1e-6)


def test_running_statistics_match_batch():
    x = np.random.default_rng(3).normal(loc=100.0, size=(257, 12))
    running = RunningStatistics()
    for start in range(0, len(x), 50):
        running.update(x[start : start + 50])
    mu, sigma = running.result()
    mu_ref, sigma_ref = feature_statistics(x)
    np.testing.assert_allclose(mu, mu_ref, rtol=1e-12)
    np.testing.assert_allclose(sigma, sigma_ref, rtol=1e-9, atol=1e-12)


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(MetricsError, match="same extractor"):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))

"""KID, Inception Score and precision/recall on feature arrays."""

import numpy as np
import pytest

from ganzoo.metrics import (
    MetricsError,
    inception_score,
    kernel_inception_distance,
    precision_recall,
)
from ganzoo.metrics.scores.kid import polynomial_kernel


def test_kid_is_unbiased_for_equal_distributions():
    # Mean over many independent draws of the same distribution: |mean| small
    # next to the per-draw spread, and far below KID between shifted sets.
    rng = np.random.default_rng(0)
    values = []
    for _ in range(40):
        x, y = rng.normal(size=(100, 16)), rng.normal(size=(100, 16))
        values.append(kernel_inception_distance(x, y, num_subsets=5, subset_size=50)[0])
    values = np.array(values)
    stderr = values.std() / np.sqrt(len(values))
    assert abs(values.mean()) < 3 * stderr + 1e-4
    shifted = kernel_inception_distance(
        rng.normal(size=(100, 16)), rng.normal(0.5, size=(100, 16)), 5, 50
    )[0]
    assert shifted > 20 * abs(values.mean())


def test_kid_matches_direct_formula_on_one_subset():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(20, 4)), rng.normal(size=(20, 4))
    kxx, kyy, kxy = (
        polynomial_kernel(x, x),
        polynomial_kernel(y, y),
        polynomial_kernel(x, y),
    )
    m = 20
    expected = (
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        - 2 * kxy.mean()
    )
    mean, std = kernel_inception_distance(x, y, num_subsets=3, subset_size=20)
    assert mean == pytest.approx(expected, rel=1e-12)  # full-set subsets are equal
    assert std == pytest.approx(0.0, abs=1e-12)


def test_is_of_identical_predictions_is_one():
    probs = np.tile([0.7, 0.2, 0.1], (50, 1))
    assert inception_score(probs, num_splits=5)[0] == pytest.approx(1.0)


def test_is_of_confident_uniform_predictions_is_class_count():
    probs = np.eye(10)[np.arange(200) % 10]
    mean, std = inception_score(probs, num_splits=4)
    assert mean == pytest.approx(10.0, rel=1e-6)
    assert std == pytest.approx(0.0, abs=1e-6)


def test_is_rejects_logits():
    with pytest.raises(MetricsError, match="softmax"):
        inception_score(np.full((10, 3), 2.0), num_splits=1)


def test_pr_identical_sets_is_one_one():
    x = np.random.default_rng(2).normal(size=(200, 8))
    assert precision_recall(x, x.copy(), k=3) == (1.0, 1.0)


def test_pr_far_apart_sets_is_zero_zero():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(200, 8)), rng.normal(100.0, size=(200, 8))
    assert precision_recall(real, fake, k=3) == (0.0, 0.0)


def test_pr_mode_collapse_has_precision_without_recall():
    rng = np.random.default_rng(4)
    real = rng.normal(size=(400, 4))
    fake = rng.normal(scale=0.05, size=(400, 4))  # all near the mode
    precision, recall = precision_recall(real, fake, k=3, batch_size=64)
    assert precision > 0.9 and recall < 0.3


def test_pr_batching_does_not_change_result():
    rng = np.random.default_rng(5)
    real, fake = rng.normal(size=(150, 6)), rng.normal(0.3, size=(130, 6))
    assert precision_recall(real, fake, batch_size=7) == precision_recall(
        real, fake, batch_size=1000
    )

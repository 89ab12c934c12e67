"""Density and coverage (Naeem et al. 2020) on small sets worked out by hand."""

import numpy as np
import pytest

from ganzoo.metrics import MetricsError, density_coverage

# Four reals on a line (as 2-D points): x = 0, 1, 3, 7.
REAL = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [7.0, 0.0]])
# Four fakes: x = 0.5, 2.5, 20, 1.5.
FAKE = np.array([[0.5, 0.0], [2.5, 0.0], [20.0, 0.0], [1.5, 0.0]])


def test_worked_example_with_k_1():
    # k=1 radii (nearest other real): 1, 1, 2, 4; balls (open): (-1, 1), (0, 2), (1, 5), (3, 11).
    # Balls holding each fake: 0.5 -> balls 0 and 1; 2.5 -> ball 2; 20 -> none;
    # 1.5 -> balls 1 and 2. In all 5 pairs: density 5 / (k=1 * 4 fakes).
    # Balls holding some fake: 0, 1, 2 (not ball 3): coverage 3/4.
    assert density_coverage(REAL, FAKE, k=1) == (5 / 4, 3 / 4)


def test_worked_example_with_k_2():
    # k=2 radii (second-nearest other real): 3, 2, 3, 6; balls (-3, 3), (-1, 3), (0, 6), (1, 13).
    # 0.5 -> balls 0, 1, 2; 2.5 -> all four; 20 -> none; 1.5 -> all four:
    # 11 pairs, density 11 / (2 * 4); every ball holds a fake: coverage 1.
    assert density_coverage(REAL, FAKE, k=2) == (11 / 8, 1.0)


def test_a_fake_on_a_balls_edge_is_outside():
    # Ball 0 has radius 1 at k=1: a fake at distance exactly 1 (x = -1) is in no ball.
    assert density_coverage(REAL, [[-1.0, 0.0]], k=1) == (0.0, 0.0)


def test_fakes_equal_to_reals_cover_everything_with_density_one():
    # Each real's open ball holds itself and its k-1 nearer neighbours: k pairs per ball.
    real = np.random.default_rng(0).normal(size=(200, 8))
    density, coverage = density_coverage(real, real.copy(), k=5)
    assert coverage == 1.0
    assert density == pytest.approx(1.0, abs=0.01)


def test_far_away_fakes_score_zero():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(100, 4)), rng.normal(100.0, size=(50, 4))
    assert density_coverage(real, fake, k=5) == (0.0, 0.0)


def test_collapsed_fakes_keep_density_but_lose_coverage():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(400, 2))
    fake = rng.normal(scale=0.05, size=(400, 2))  # all near the centre: realistic, not diverse
    density, coverage = density_coverage(real, fake, k=5)
    assert density > 0.5 and coverage < 0.1


def test_batches_do_not_change_the_result():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(90, 6)), rng.normal(0.3, size=(70, 6))
    whole = density_coverage(real, fake, k=4, batch_size=1024)
    assert density_coverage(real, fake, k=4, batch_size=7) == whole


def test_bad_input_is_a_clear_error():
    with pytest.raises(MetricsError, match="feature dimensions differ"):
        density_coverage(REAL, np.zeros((3, 5)))
    with pytest.raises(MetricsError, match="k must be between 1 and 3 for 4 samples, got 5"):
        density_coverage(REAL, FAKE, k=5)

"""PortableRandom: backend-independent draws from a SeedGenerator."""

import keras
import numpy as np
from augment_helpers import numpy

from ganzoo.augment.portable_random import PortableRandom, key_from


def draws(seed, batch=512):
    random = PortableRandom(key_from(keras.random.SeedGenerator(seed)), batch)
    return numpy(random.uniform(3)), numpy(random.normal(2)), numpy(random.integers(-2, 3))


def test_uniform_is_in_unit_interval_and_uniform():
    u, _, _ = draws(0)
    assert u.shape == (512, 3) and u.dtype == np.float32
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.03  # 1536 draws: std of the mean ~0.007
    counts = np.histogram(u, bins=4, range=(0, 1))[0]
    assert counts.min() > 0.2 * u.size  # no quarter starved
    # Columns and rows are not copies of each other (the counter mixes both).
    assert not np.allclose(u[:, 0], u[:, 1]) and not np.allclose(u[0], u[1])


def test_normal_has_unit_moments():
    _, z, _ = draws(1, batch=4096)
    assert np.isfinite(z).all()
    assert abs(z.mean()) < 0.05 and abs(z.std() - 1.0) < 0.05


def test_integers_cover_their_range_only():
    _, _, i = draws(2)
    assert i.dtype == np.int32
    assert set(np.unique(i)) == {-2, -1, 0, 1, 2}


def test_same_seed_same_numbers_and_the_stream_advances():
    a, b = draws(5), draws(5)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    generator = keras.random.SeedGenerator(5)
    first = numpy(PortableRandom(key_from(generator), 8).uniform())
    second = numpy(PortableRandom(key_from(generator), 8).uniform())
    assert not np.allclose(first, second)
    assert not np.allclose(draws(6)[0], a[0])  # another seed, other numbers

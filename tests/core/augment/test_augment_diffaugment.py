"""DiffAugment: each policy's effect, shapes, gradients and errors."""

import numpy as np
import pytest
from augment_helpers import images, input_gradient, numpy, reseed

from ganzoo.augment import DiffAugment
from ganzoo.augment import diffaugment as da
from ganzoo.augment.portable_random import PortableRandom, key_from
from ganzoo.errors import GanzooError


def run(fn, x, seed=0):
    import keras

    random = PortableRandom(key_from(keras.random.SeedGenerator(seed)), x.shape[0])
    return numpy(fn(x, random))


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("policy", ["color", "translation", "cutout", "color,translation,cutout"])
def test_shape_dtype_and_training_flag(policy, channels):
    x = images(channels=channels)
    aug = reseed(DiffAugment(policy))
    y = numpy(aug(x))
    assert y.shape == x.shape and y.dtype == np.float32 and np.isfinite(y).all()
    assert not np.allclose(y, x)  # it did something
    np.testing.assert_array_equal(numpy(aug(x, training=False)), x)


def test_brightness_adds_one_offset_per_image_in_range():
    x = images(n=64)
    shift = run(da.brightness, x) - x
    per_image = shift.reshape(64, -1)
    np.testing.assert_allclose(per_image, per_image[:, :1].repeat(per_image.shape[1], 1),
                               atol=1e-6)
    assert per_image.min() >= -0.5 and per_image.max() <= 0.5
    assert per_image[:, 0].std() > 0.2  # spread over U(-0.5, 0.5) (std 0.29)


def test_saturation_keeps_each_pixels_channel_mean():
    x = images(n=16)
    y = run(da.saturation, x)
    np.testing.assert_allclose(y.mean(-1), x.mean(-1), atol=1e-6)
    factor = (y - y.mean(-1, keepdims=True)) / (x - x.mean(-1, keepdims=True))
    factor = factor.reshape(16, -1)
    np.testing.assert_allclose(factor, factor[:, :1].repeat(factor.shape[1], 1), rtol=1e-3)
    assert factor.min() >= 0.0 and factor.max() <= 2.0


def test_contrast_keeps_the_image_mean_and_scales_around_it():
    x = images(n=16)
    y = run(da.contrast, x)
    np.testing.assert_allclose(y.mean((1, 2, 3)), x.mean((1, 2, 3)), atol=1e-5)
    mean = x.mean((1, 2, 3), keepdims=True)
    factor = ((y - mean) / (x - mean)).reshape(16, -1)
    np.testing.assert_allclose(factor, factor[:, :1].repeat(factor.shape[1], 1), rtol=1e-3)
    assert factor.min() >= 0.5 and factor.max() <= 1.5


def shifted(x, dy, dx):
    """x shifted so that out[i, j] = x[i + dy, j + dx], zero outside."""
    h, w = x.shape[:2]
    out = np.zeros_like(x)
    for i in range(h):
        for j in range(w):
            if 0 <= i + dy < h and 0 <= j + dx < w:
                out[i, j] = x[i + dy, j + dx]
    return out


def test_translation_is_a_zero_filled_whole_pixel_shift_within_the_ratio():
    x = images(n=32, size=16) + 2.0  # no zeros in the input, so fills are visible
    y = run(lambda a, r: da.translation(a, r, 0.125), x)
    found = set()
    for xi, yi in zip(x, y, strict=True):
        matches = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                   if np.array_equal(shifted(xi, dy, dx), yi)]
        assert len(matches) == 1  # shift at most 16 * 0.125 = 2 pixels
        found.add(matches[0])
    assert len(found) > 5  # shifts vary per sample


def test_cutout_zeroes_one_square_of_half_the_size():
    x = images(n=32, size=8) + 2.0
    y = run(lambda a, r: da.cutout(a, r, 0.5), x)
    for xi, yi in zip(x, y, strict=True):
        zero = (yi == 0).all(-1)
        np.testing.assert_array_equal(yi[~zero], xi[~zero])  # the rest is untouched
        rows, cols = np.nonzero(zero)
        assert 1 <= len(rows) <= 16
        # One rectangle, at most 4 x 4, possibly clipped at the border.
        assert rows.max() - rows.min() < 4 and cols.max() - cols.min() < 4
        assert zero[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()
    assert (y == 0).all(-1).sum() / (32 * 64) > 0.15  # mostly whole 16-pixel squares


@pytest.mark.parametrize("policy", ["color", "translation", "cutout"])
def test_gradients_reach_the_input(policy):
    x = images(n=4, size=8)
    grad = input_gradient(reseed(DiffAugment(policy)), x)
    assert np.isfinite(grad).all() and np.abs(grad).sum() > 0
    if policy != "color":  # zero-filled pixels get no gradient, kept pixels do
        assert ((grad != 0).mean()) > 0.3


def test_bad_policy_and_ratio_are_one_line_errors():
    with pytest.raises(GanzooError, match="unknown DiffAugment policy 'colour'"):
        DiffAugment("colour,cutout")
    with pytest.raises(GanzooError, match="empty"):
        DiffAugment("")
    with pytest.raises(GanzooError, match="cutout_ratio=2"):
        DiffAugment(cutout_ratio=2)
    with pytest.raises(GanzooError, match="NHWC"):
        DiffAugment()(np.zeros((2, 8), "float32"))

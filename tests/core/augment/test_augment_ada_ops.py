"""ADA's bgc ops: identity at p = 0, each op's effect at p = 1, gradients."""

import numpy as np
import pytest
from augment_helpers import images, input_gradient, numpy, reseed

from ganzoo.augment import ADA
from ganzoo.augment.bgc import ALL_OPS
from ganzoo.errors import GanzooError


def fixed(pipeline, p=1.0, seed=3):
    return reseed(ADA(target=None, p=p, pipeline=pipeline), seed)


@pytest.mark.parametrize("channels", [1, 3])
def test_p_zero_is_the_identity_exactly(channels):
    x = images(n=16, size=7, channels=channels)  # odd size: a half-pixel centre
    y = numpy(fixed("bgc", p=0.0)(x))
    np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("op", ALL_OPS)
def test_each_op_keeps_shape_and_changes_some_images(op, channels):
    x = images(n=16, size=8, channels=channels)
    y = numpy(fixed([op])(x))
    assert y.shape == x.shape and y.dtype == np.float32 and np.isfinite(y).all()
    if channels == 1 and op in ("hue", "saturation"):
        np.testing.assert_array_equal(y, x)  # no effect on grey (skipped, as the reference)
    else:
        changed = np.abs(y - x).reshape(16, -1).max(1) > 1e-4
        assert changed.any()


def test_training_false_and_the_batch_dtype():
    x = images(n=16)
    aug = fixed("bgc")
    np.testing.assert_array_equal(numpy(aug(x, training=False)), x)
    assert numpy(aug(x.astype("float16"))).dtype == np.float16


def test_xflip_copies_either_the_image_or_its_mirror():
    x = images(n=32)
    y = numpy(fixed(["xflip"])(x))
    flipped = [np.array_equal(yi, xi[:, ::-1]) for xi, yi in zip(x, y, strict=True)]
    same = [np.array_equal(yi, xi) for xi, yi in zip(x, y, strict=True)]
    assert all(f or s for f, s in zip(flipped, same, strict=True))
    assert 4 < sum(flipped) < 28  # flip index drawn from {0, 1}


def test_rotate90_copies_a_quarter_turn_of_the_image():
    x = images(n=32)
    y = numpy(fixed(["rotate90"])(x))
    turns = []
    for xi, yi in zip(x, y, strict=True):
        k = [k for k in range(4) if np.allclose(np.rot90(xi, k, axes=(0, 1)), yi, atol=1e-5)]
        assert len(k) == 1
        turns.append(k[0])
    assert len(set(turns)) == 4


def test_integer_translation_copies_pixels_with_reflection():
    x = images(n=16)
    y = numpy(fixed(["xint"])(x))
    for xi, yi in zip(x, y, strict=True):
        found = False
        for dy in range(-1, 2):  # 8 * 0.125 = at most 1 pixel
            for dx in range(-1, 2):
                rows = np.abs(np.arange(8) + dy)
                rows = np.where(rows > 7, 14 - rows, rows)
                cols = np.abs(np.arange(8) + dx)
                cols = np.where(cols > 7, 14 - cols, cols)
                found |= np.allclose(xi[rows][:, cols], yi, atol=1e-5)
        assert found


@pytest.mark.parametrize("op", ["scale", "rotate", "aniso", "xfrac"])
def test_geometric_ops_interpolate_within_each_images_range(op):
    x = images(n=16)
    y = numpy(fixed([op])(x))
    lo = x.reshape(16, -1).min(1) - 1e-5
    hi = x.reshape(16, -1).max(1) + 1e-5
    assert (y.reshape(16, -1).min(1) >= lo).all() and (y.reshape(16, -1).max(1) <= hi).all()


def test_luma_flip_negates_grey_and_hue_saturation_keep_luma():
    grey = images(n=32, channels=1)
    y = numpy(fixed(["lumaflip"])(grey))
    for xi, yi in zip(grey, y, strict=True):
        assert np.allclose(yi, xi, atol=1e-6) or np.allclose(yi, -xi, atol=1e-6)
    rgb = images(n=16)
    for op in ("hue", "saturation"):
        out = numpy(fixed([op])(rgb))
        np.testing.assert_allclose(out.mean(-1), rgb.mean(-1), atol=1e-5)


def test_brightness_and_contrast_act_on_every_channel_alike():
    x = images(n=16)
    y = numpy(fixed(["brightness"])(x))
    diff = (y - x).reshape(16, -1)
    np.testing.assert_allclose(diff, diff[:, :1].repeat(diff.shape[1], 1), atol=1e-5)
    y = numpy(fixed(["contrast"])(x))
    ratio = (y / x).reshape(16, -1)
    np.testing.assert_allclose(ratio, ratio[:, :1].repeat(ratio.shape[1], 1), rtol=1e-4)


def test_each_op_applies_with_probability_p():
    x = images(n=256, size=4)
    y = numpy(fixed(["brightness"], p=0.3)(x))
    applied = np.abs(y - x).reshape(256, -1).max(1) > 0
    assert 0.2 < applied.mean() < 0.4


@pytest.mark.parametrize("op", ALL_OPS)
def test_gradients_reach_the_input_through_every_op(op):
    x = images(n=16)
    grad = input_gradient(fixed([op]), x)
    assert np.isfinite(grad).all() and np.abs(grad).sum() > 0


def test_bad_arguments_are_one_line_errors():
    with pytest.raises(GanzooError, match="unknown ADA ops"):
        ADA(pipeline=["xflip", "blur"])
    with pytest.raises(GanzooError, match="p=1.5"):
        ADA(p=1.5)
    with pytest.raises(GanzooError, match="interval=0"):
        ADA(interval=0)
    with pytest.raises(GanzooError, match="4 channels"):
        fixed("c")(images(channels=4))

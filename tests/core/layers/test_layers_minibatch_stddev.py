import numpy as np
import pytest
from keras import ops

from ganzoo.layers import MinibatchStdDev
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


def _reference(x, group_size, epsilon=1e-8):
    """ProGAN's minibatch_stddev_layer in NumPy: groups are x[g::M]."""
    batch = x.shape[0]
    group = max(g for g in range(1, min(group_size, batch) + 1) if batch % g == 0)
    y = x.reshape(group, -1, *x.shape[1:])  # (G, M, H, W, C)
    stddev = np.sqrt(y.var(axis=0) + epsilon).mean(axis=(1, 2, 3))  # (M,)
    feature = np.broadcast_to(stddev[None, :, None, None, None], (*y.shape[:-1], 1))
    return np.concatenate([x, feature.reshape(*x.shape[:-1], 1)], axis=-1)


def test_minibatch_stddev_layer():
    # Batch 6 with group size 4: groups of 3. The symbolic call and the fit
    # step also exercise an unknown batch size.
    run_layer_test(
        MinibatchStdDev,
        {"group_size": 4},
        rng.standard_normal((6, 3, 3, 2)).astype("float32"),
        (6, 3, 3, 3),
        expected_num_trainable_weights=0,
        run_training_check=False,  # no weights to train
    )


@pytest.mark.parametrize("batch", [8, 6, 4, 3, 1])
def test_appends_one_map_equal_to_group_mean_stddev(batch):
    x = rng.standard_normal((batch, 3, 3, 5)).astype("float32")
    y = ops.convert_to_numpy(MinibatchStdDev(group_size=4)(x))
    assert y.shape == (batch, 3, 3, 6)
    np.testing.assert_array_equal(y[..., :5], x)
    np.testing.assert_allclose(y, _reference(x, 4), rtol=1e-5, atol=1e-6)


def test_map_is_constant_within_a_group_and_uses_strided_groups():
    x = rng.standard_normal((8, 2, 2, 3)).astype("float32")
    y = ops.convert_to_numpy(MinibatchStdDev(group_size=4)(x))[..., -1]
    # Two groups: samples {0, 2, 4, 6} and {1, 3, 5, 7}.
    expected = np.sqrt(x[0::2].var(axis=0) + 1e-8).mean()
    np.testing.assert_allclose(y[0::2], expected, rtol=1e-5)
    assert not np.allclose(y[1], expected)

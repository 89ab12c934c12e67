import numpy as np
import pytest
from keras import ops

from ganzoo.layers import ConditionalBatchNormalization
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)
x = rng.standard_normal((3, 4, 4, 8)).astype("float32")


@pytest.mark.parametrize(
    "init_kwargs, cond, num_trainable, num_non_trainable",
    [
        ({}, rng.standard_normal((3, 5)).astype("float32"), 4, 2),
        (
            {"num_classes": 4, "spectral_norm": True},
            np.array([0, 3, 1], "int32"),
            2,
            4,  # moving mean/variance, u of the two SN embeddings
        ),
    ],
    ids=["vector", "labels_sn"],
)
def test_conditional_batch_norm_layer(
    init_kwargs, cond, num_trainable, num_non_trainable
):
    run_layer_test(
        ConditionalBatchNormalization,
        init_kwargs,
        [x, cond],
        x.shape,
        expected_num_trainable_weights=num_trainable,
        expected_num_non_trainable_weights=num_non_trainable,
    )


def test_same_label_same_output_different_label_different_output():
    same_x = np.repeat(x[:1], 3, axis=0)
    layer = ConditionalBatchNormalization(num_classes=4)
    for training in (False, True):
        y = ops.convert_to_numpy(
            layer([same_x, np.array([2, 2, 1], "int32")], training=training)
        )
        np.testing.assert_array_equal(y[0], y[1])
        assert not np.allclose(y[0], y[2])


def test_formula_and_moving_statistics_updated_only_when_training():
    cond = rng.standard_normal((3, 5)).astype("float32")
    layer = ConditionalBatchNormalization()
    y = ops.convert_to_numpy(layer([x, cond], training=True))
    mean = x.mean(axis=(0, 1, 2))
    normalized = (x - mean) / np.sqrt(x.var(axis=(0, 1, 2)) + 1e-5)
    gain = 1 + cond @ ops.convert_to_numpy(layer.gain.kernel)
    bias = cond @ ops.convert_to_numpy(layer.bias.kernel)
    expected = normalized * gain[:, None, None] + bias[:, None, None]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
    moving_mean = ops.convert_to_numpy(layer.batch_norm.moving_mean)
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-5, atol=1e-6)
    layer([x + 1.0, cond], training=False)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.batch_norm.moving_mean), moving_mean
    )

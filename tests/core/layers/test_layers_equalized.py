import math

import numpy as np
from keras import ops

from ganzoo.layers import EqualizedConv2D, EqualizedDense
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


def test_equalized_dense_layer():
    # 16 rows: with 2, all three ReLU units were dead for both rows in about
    # one run in 64 (unseeded kernel), and no gradient reached the weights.
    run_layer_test(
        EqualizedDense,
        {"units": 3, "lr_multiplier": 0.5, "activation": "relu"},
        rng.standard_normal((16, 5)).astype("float32"),
        (16, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    )


def test_equalized_conv2d_layer():
    run_layer_test(
        EqualizedConv2D,
        {"filters": 3, "kernel_size": 3, "padding": "same"},
        rng.standard_normal((2, 4, 4, 2)).astype("float32"),
        (2, 4, 4, 3),
        expected_num_trainable_weights=2,
    )


def test_dense_kernel_scaled_by_he_constant_at_run_time():
    layer = EqualizedDense(4)
    x = rng.standard_normal((3, 5)).astype("float32")
    layer.build(x.shape)
    layer.bias.assign(rng.standard_normal(4).astype("float32"))
    kernel = ops.convert_to_numpy(layer.kernel)  # the stored weight
    expected = x @ (kernel * math.sqrt(2 / 5)) + ops.convert_to_numpy(layer.bias)
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, rtol=1e-5)


def test_lr_multiplier_scales_init_kernel_and_bias():
    layer = EqualizedDense(64, gain=1.0, lr_multiplier=0.01)
    x = rng.standard_normal((3, 64)).astype("float32")
    layer.build(x.shape)
    kernel = ops.convert_to_numpy(layer.kernel)
    np.testing.assert_allclose(kernel.std(), 100.0, rtol=0.05)  # N(0, 1/lr)
    bias = rng.standard_normal(64).astype("float32")
    layer.bias.assign(bias)
    expected = x @ (kernel * 0.01 / 8.0) + bias * 0.01
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-5
    )


def test_conv_kernel_initialised_unit_normal_and_scaled_at_run_time():
    layer = EqualizedConv2D(32, 3, padding="valid")
    x = rng.standard_normal((2, 5, 5, 16)).astype("float32")
    layer.build(x.shape)
    kernel = ops.convert_to_numpy(layer.kernel)
    np.testing.assert_allclose(kernel.std(), 1.0, atol=0.05)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.bias), 0.0)
    scaled = kernel * math.sqrt(2 / (3 * 3 * 16))
    expected = ops.convert_to_numpy(ops.conv(x, scaled, padding="valid"))
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-5
    )

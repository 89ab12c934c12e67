import numpy as np
from keras import ops

from ganzoo.layers import AdaptiveInstanceNormalization
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)
x = 3.0 * rng.standard_normal((2, 4, 4, 3)).astype("float32") + 1.0
w = rng.standard_normal((2, 5)).astype("float32")


def test_adaptive_instance_normalization_layer():
    run_layer_test(
        AdaptiveInstanceNormalization,
        {"epsilon": 1e-8},
        [x, w],
        x.shape,
        expected_num_trainable_weights=2,
    )


def test_instance_norm_then_style_scale_and_bias():
    layer = AdaptiveInstanceNormalization()
    layer.build([x.shape, w.shape])
    layer.style.bias.assign(rng.standard_normal(6).astype("float32"))
    y = ops.convert_to_numpy(layer([x, w]))
    style = w @ ops.convert_to_numpy(layer.style.kernel) / np.sqrt(5)
    style += ops.convert_to_numpy(layer.style.bias)
    scale, bias = style[:, None, None, :3], style[:, None, None, 3:]
    mean, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-8) * (1 + scale) + bias
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)

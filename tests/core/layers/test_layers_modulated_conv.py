import numpy as np
import pytest
from keras import ops

from ganzoo.layers import ModulatedConv2D
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


def _reference(x, styles, kernel, demodulate, epsilon=1e-8):
    """StyleGAN2's per-sample modulated weight, convolved with 'same' padding."""
    size = kernel.shape[0]
    padded = np.pad(x, ((0, 0), (size // 2,) * 2, (size // 2,) * 2, (0, 0)))
    _, height, width, _ = x.shape
    outputs = []
    for sample, style in zip(padded, styles, strict=True):
        weight = kernel * style[None, None, :, None]
        if demodulate:
            weight = weight / np.sqrt(np.sum(weight**2, axis=(0, 1, 2)) + epsilon)
        out = np.zeros((height, width, kernel.shape[-1]))
        for i in range(size):
            for j in range(size):
                out += sample[i : i + height, j : j + width] @ weight[i, j]
        outputs.append(out)
    return np.stack(outputs)


def test_modulated_conv2d_layer():
    run_layer_test(
        ModulatedConv2D,
        {"filters": 3, "kernel_size": 3, "activation": "leaky_relu"},
        [
            rng.standard_normal((2, 4, 4, 2)).astype("float32"),
            rng.standard_normal((2, 5)).astype("float32"),
        ],
        (2, 4, 4, 3),
        expected_num_trainable_weights=4,  # affine kernel/bias, conv kernel, bias
    )


@pytest.mark.parametrize("demodulate", [True, False])
def test_matches_numpy_reference(demodulate):
    x = rng.standard_normal((2, 5, 5, 3)).astype("float32")
    w = rng.standard_normal((2, 4)).astype("float32")
    layer = ModulatedConv2D(2, 3, demodulate=demodulate, use_bias=False)
    y = ops.convert_to_numpy(layer([x, w]))
    styles = ops.convert_to_numpy(layer.affine(w))
    # The affine is equalized with gain 1 and starts at bias 1.
    affine_kernel = ops.convert_to_numpy(layer.affine.kernel)
    np.testing.assert_allclose(
        styles, w @ affine_kernel / 2.0 + 1.0, rtol=1e-5, atol=1e-6
    )
    kernel = ops.convert_to_numpy(layer.conv.kernel) / np.sqrt(3 * 3 * 3)
    expected = _reference(x, styles, kernel, demodulate)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)


def test_demodulated_output_has_unit_variance_per_channel():
    x = rng.standard_normal((4, 18, 18, 16)).astype("float32")
    w = 2.0 * rng.standard_normal((4, 8)).astype("float32")
    y = ops.convert_to_numpy(ModulatedConv2D(8, 3, use_bias=False)([x, w]))
    variance = y[:, 1:-1, 1:-1].var(axis=(1, 2))  # per sample and channel
    np.testing.assert_allclose(variance.mean(), 1.0, atol=0.1)
    np.testing.assert_allclose(variance, 1.0, atol=0.35)

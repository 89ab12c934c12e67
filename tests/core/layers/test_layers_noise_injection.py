import numpy as np
from keras import ops

from ganzoo.layers import NoiseInjection
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)
x = rng.standard_normal((2, 4, 4, 3)).astype("float32")
noise = rng.standard_normal((2, 4, 4, 1)).astype("float32")


def test_noise_injection_layer_with_given_noise():
    run_layer_test(
        NoiseInjection,
        {"seed": 1},
        {"inputs": x, "noise": noise},
        x.shape,
        expected_num_trainable_weights=1,
    )


def test_noise_injection_layer_with_sampled_noise():
    run_layer_test(
        NoiseInjection,
        {},
        x,
        x.shape,
        expected_num_trainable_weights=1,
        run_saving_check=False,  # the output is random
    )


def test_scale_starts_at_zero_and_scales_noise_per_channel():
    layer = NoiseInjection()
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), x)
    scale = np.array([0.0, 1.0, -2.0], "float32")
    layer.scale.assign(scale)
    y = ops.convert_to_numpy(layer(x, noise=noise))
    np.testing.assert_allclose(y, x + noise * scale, rtol=1e-6)


def test_sampled_noise_is_fresh_per_call_and_seeded():
    first, second = NoiseInjection(seed=3), NoiseInjection(seed=3)
    for layer in (first, second):
        layer.build(x.shape)
        layer.scale.assign(np.ones(3, "float32"))
    a, b = ops.convert_to_numpy(first(x)), ops.convert_to_numpy(first(x))
    assert not np.allclose(a, b)
    np.testing.assert_allclose(ops.convert_to_numpy(second(x)), a)
    # One noise map shared by all channels.
    np.testing.assert_allclose(a[..., 0] - x[..., 0], a[..., 2] - x[..., 2], rtol=1e-5)

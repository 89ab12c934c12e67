import numpy as np
from keras import ops

from ganzoo.layers import PixelNormalization
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


def test_pixel_normalization_layer():
    run_layer_test(
        PixelNormalization,
        {"epsilon": 1e-8},
        rng.standard_normal((2, 3, 3, 4)).astype("float32"),
        (2, 3, 3, 4),
        expected_num_trainable_weights=0,
        run_training_check=False,  # no weights to train
    )


def test_unit_rms_per_pixel():
    x = 5.0 * rng.standard_normal((2, 3, 3, 8)).astype("float32") + 1.0
    y = ops.convert_to_numpy(PixelNormalization()(x))
    rms = np.sqrt(np.mean(np.square(y), axis=-1))
    np.testing.assert_allclose(rms, 1.0, rtol=1e-5)
    # Direction is preserved: y is x times a positive per-pixel factor.
    np.testing.assert_allclose(
        y * np.sqrt(np.mean(x**2, -1, keepdims=True)), x, rtol=1e-4
    )

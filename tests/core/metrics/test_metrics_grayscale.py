"""One grayscale conversion: training data and metric inputs give identical numbers."""

import numpy as np
from PIL import Image

import ganzoo.data
from ganzoo.data.tfds_datasets import prepare_image
from ganzoo.metrics.extractors.preprocessing import prepare
from ganzoo.pixels import to_grayscale


def rgb_batch(n=6, h=9, w=7, seed=0):
    # Every channel value and many luma rounding cases (x.5 boundaries) appear.
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, h, w, 3), dtype=np.uint8)


def test_to_grayscale_is_pillows_convert_L():
    rgb = rgb_batch(8, 16, 16)
    pillow = np.stack([np.asarray(Image.fromarray(im).convert("L")) for im in rgb])[..., None]
    np.testing.assert_array_equal(to_grayscale(rgb), pillow)
    # Floats: the same weighted sum unrounded; rounding it half up gives the uint8 values.
    unrounded = to_grayscale(rgb.astype(np.float32))
    assert unrounded.dtype == np.float32
    np.testing.assert_array_equal(np.floor(unrounded.astype(np.float64) + 0.5), pillow)


def test_training_data_and_metric_inputs_identical(tmp_path):
    rgb = rgb_batch()
    data_arrays, _ = ganzoo.data.load_arrays(rgb, channels=1)
    metric_input = prepare(rgb, (9, 7), channels=1)  # float32 [0, 255], as an extractor sees it
    np.testing.assert_array_equal(metric_input, data_arrays.astype(np.float32))

    # Image files take the same path: a folder of the RGB images loaded as gray.
    for i, image in enumerate(rgb):
        Image.fromarray(image).save(tmp_path / f"{i}.png")
    data_files, _ = ganzoo.data.load_arrays(tmp_path, channels=1)
    np.testing.assert_array_equal(data_files, data_arrays)

    # The tf.data twin used for TFDS streams.
    streamed = np.stack(
        [np.asarray(prepare_image(im, image_size=None, channels=1, source_channels=3)) for im in rgb]
    )
    np.testing.assert_array_equal(streamed, data_arrays)


def test_generated_floats_use_the_same_weights():
    rgb = rgb_batch(seed=1)
    generated = rgb.astype(np.float32) / 127.5 - 1.0  # a generator's [-1, 1] output
    gray = prepare(generated, (9, 7), channels=1)
    np.testing.assert_allclose(gray, to_grayscale(rgb.astype(np.float64)), atol=1e-3)
    data_arrays, _ = ganzoo.data.load_arrays(rgb, channels=1)
    assert np.abs(gray - data_arrays).max() <= 0.5 + 1e-3  # differs only by the rounding

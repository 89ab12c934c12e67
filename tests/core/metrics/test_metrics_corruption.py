"""FD and KID grow as images are corrupted more (noise, blur).

Uses the classifier extractor with random weights (a saved, untrained
``build_classifier`` network): enough to see corruption, fast on CPU.
"""

import numpy as np
import pytest
import scipy.ndimage
from conftest import make_shapes

from ganzoo.metrics import (
    evaluate,
    fid_from_features,
    get_feature_extractor,
    kernel_inception_distance,
)


def add_noise(images, sigma, seed=0):
    noise = np.random.default_rng(seed).normal(0, sigma, images.shape)
    return np.clip(images + noise, 0, 255).astype(np.uint8)


def blur(images, sigma):
    if sigma == 0:
        return images
    return scipy.ndimage.gaussian_filter(images.astype(float), (0, sigma, sigma, 0))


def assert_increasing(values):
    assert all(a < b for a, b in zip(values, values[1:], strict=False)), values


@pytest.fixture(scope="module")
def extractor(random_classifier_path):
    return get_feature_extractor("classifier", weights=random_classifier_path)


@pytest.fixture(scope="module")
def real_and_other(shapes_data):
    # Two independent draws from the same distribution.
    return shapes_data[0], make_shapes(256, seed=7)[0]


def test_fd_and_kid_grow_with_blur(extractor, real_and_other):
    real, other = real_and_other
    real_f = extractor.features(real)
    fds, kids = [], []
    for sigma in (0, 0.8, 1.6, 3.0):
        f = extractor.features(blur(other, sigma).astype(np.uint8))
        fds.append(fid_from_features(real_f, f))
        kids.append(kernel_inception_distance(real_f, f, 20, 200)[0])
    assert_increasing(fds)
    assert_increasing(kids)


def test_fd_and_kid_grow_with_noise_through_evaluate(
    extractor, real_and_other, tmp_path
):
    real, other = real_and_other
    fds, kids = [], []
    for sigma in (0, 25, 60, 120):
        corrupted = add_noise(other, sigma)
        result = evaluate(
            lambda n, start, c=corrupted: c[start : start + n],
            real,
            metrics=("fid", "kid", "pr"),
            extractor=extractor,
            num_samples=len(corrupted),
            batch_size=128,
            reference_cache_dir=tmp_path,
            reference_key="shapes",
            kid_subset_size=200,
            kid_subsets=20,
        )
        fds.append(result["fid"])
        kids.append(result["kid"])
    assert_increasing(fds)
    assert_increasing(kids)
    prov = result["provenance"]
    assert prov["extractor"] == "classifier" and prov["reference_cache_hit"]
    assert prov["weights_hash"] == extractor.weights_hash
    # The clean set sits near the real-vs-real floor; heavy noise far above it.
    assert fds[0] < 2 * result["floor"]["fid"] < fds[-1] / 5

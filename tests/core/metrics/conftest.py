"""Small synthetic images and saved networks shared by the metrics tests."""

import numpy as np
import pytest


def make_shapes(n: int, size: int = 16, seed: int = 0, classes: int = 4):
    """uint8 grayscale images: a bright square in quadrant ``label``, with noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    images = rng.integers(0, 40, size=(n, size, size, 1)).astype(np.float32)
    half = size // 2
    for i, label in enumerate(labels):
        r, c = divmod(int(label), 2)
        off_r, off_c = rng.integers(0, half // 2, size=2)
        top, left = r * half + off_r, c * half + off_c
        images[i, top : top + half // 2, left : left + half // 2] += 200
    return np.clip(images, 0, 255).astype(np.uint8), labels


@pytest.fixture(scope="session")
def shapes_data():
    return make_shapes(256, seed=0)


@pytest.fixture(scope="session")
def random_classifier_path(tmp_path_factory):
    """An untrained (random-weights) domain classifier saved as .keras."""
    import keras

    from ganzoo.metrics import build_classifier, save_classifier

    keras.utils.set_random_seed(0)
    model = build_classifier((16, 16, 1), 4, width=8, feature_dim=32)
    return save_classifier(model, tmp_path_factory.mktemp("clf") / "random.keras")

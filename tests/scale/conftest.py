"""Fixtures of the scale tests."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def tiny_images(tmp_path_factory):
    """32 random 16x16 grayscale images as an .npz dataset."""
    path = tmp_path_factory.mktemp("scale-data") / "tiny.npz"
    rng = np.random.default_rng(0)
    np.savez(path, images=rng.integers(0, 256, (32, 16, 16, 1), dtype="uint8"))
    return str(path)

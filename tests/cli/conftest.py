import numpy as np
import pytest


@pytest.fixture(scope="session")
def tiny_npz(tmp_path_factory):
    """48 labelled 16x16 grayscale images (3 classes) as an .npz dataset."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    np.savez(path, images=rng.integers(0, 256, (48, 16, 16, 1), dtype="uint8"),
             labels=rng.integers(0, 3, 48))
    return str(path)


TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]


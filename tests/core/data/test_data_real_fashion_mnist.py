"""The real Fashion-MNIST from Debian's dataset-fashion-mnist package, when installed."""

from pathlib import Path

import numpy as np
import pytest

from ganzoo.data import dataset_info, load_arrays, make_dataset

SYSTEM_COPY = Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.slow
@pytest.mark.skipif(
    not SYSTEM_COPY.is_dir(), reason="apt-get install dataset-fashion-mnist"
)
def test_real_fashion_mnist(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "GANZOO_DATA_DIR", str(tmp_path)
    )  # nothing there: the system copy wins
    monkeypatch.setenv("HOME", str(tmp_path))
    train, train_labels = load_arrays("fashion_mnist", with_labels=True)
    test, test_labels = load_arrays("fashion_mnist", split="test", with_labels=True)
    assert train.shape == (60000, 28, 28, 1) and test.shape == (10000, 28, 28, 1)
    assert np.unique(train_labels).tolist() == list(range(10))
    assert np.bincount(test_labels).tolist() == [1000] * 10
    assert dataset_info("fashion_mnist") == ((28, 28, 1), 10, 60000)
    images = next(iter(make_dataset("fashion_mnist", image_size=32, batch_size=128)))
    assert images.shape == (128, 32, 32, 1)

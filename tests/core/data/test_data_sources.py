"""Registered names, plugin datasets and the offline-first MNIST-like lookup."""

import numpy as np
import pytest
from data_helpers import random_images, write_mnist_like

from ganzoo import hookimpl
from ganzoo.data import (
    ArraySource,
    DataError,
    LocalFirstSource,
    TFDSSource,
    builtin_datasets,
    dataset_info,
    load_arrays,
    search_dirs,
)
from ganzoo.plugins import get_plugin_manager, registries


def test_builtins_are_registered():
    names = registries().datasets.names()
    for name in ("mnist", "fashion_mnist", "cifar10", "celeb_a"):
        assert name in names
    assert isinstance(builtin_datasets()["fashion_mnist"], LocalFirstSource)


def test_unknown_name_lists_known_and_closest():
    with pytest.raises(DataError, match="did you mean 'fashion_mnist'") as err:
        load_arrays("fashion_mnst")
    assert "cifar10" in str(err.value)


def test_builtin_info_is_offline():
    assert dataset_info("cifar10") == ((32, 32, 3), 10, 50000)
    assert dataset_info("celeb_a", image_size=64) == ((64, 64, 3), 0, 162770)


def test_plugin_registers_a_dataset():
    images = random_images(4, 6, 3)

    class Plugin:
        @hookimpl
        def register_datasets(self, register):
            register(ArraySource(lambda split: (images, [0, 1, 2, 3]),
                                 name="tiny_faces", num_classes=4))

    manager = get_plugin_manager()
    manager.register(Plugin(), name="test-tiny-faces")
    try:
        got, labels = load_arrays("tiny_faces", with_labels=True, image_size=3)
        assert got.shape == (4, 3, 3, 3) and labels.tolist() == [0, 1, 2, 3]
        assert dataset_info("tiny_faces") == ((6, 6, 3), 4, 4)
    finally:
        manager.unregister("test-tiny-faces")


@pytest.mark.parametrize("spelling", ["fashion_mnist", "fashion-mnist"])
@pytest.mark.parametrize("gz", [True, False])
def test_fashion_mnist_local_first(no_system_data, spelling, gz):
    write_mnist_like(no_system_data / spelling, n_train=12, n_test=5, gz=gz)
    images, labels = load_arrays("fashion_mnist", with_labels=True)
    assert images.shape == (12, 28, 28, 1) and labels.dtype == np.int32
    assert load_arrays("fashion_mnist", split="test")[0].shape == (5, 28, 28, 1)
    assert dataset_info("fashion_mnist") == ((28, 28, 1), 10, 12)


def test_keras_style_npz_is_found(no_system_data):
    np.savez(
        no_system_data / "mnist.npz",
        x_train=random_images(3, 28)[..., 0],
        y_train=[1, 2, 3],
        x_test=random_images(2, 28)[..., 0],
        y_test=[4, 5],
    )
    assert load_arrays("mnist", split="test", with_labels=True)[1].tolist() == [4, 5]


def test_search_order(no_system_data, tmp_path):
    dirs = search_dirs("fashion_mnist")
    assert dirs[0] == no_system_data / "fashion_mnist"
    assert dirs[1] == no_system_data / "fashion-mnist"
    assert dirs[-1] == tmp_path / "no_system_datasets" / "fashion-mnist"


def test_offline_error_names_dirs_and_fix(no_system_data, monkeypatch):
    def offline(self, split):
        raise self.unavailable(ConnectionError("network unreachable"))

    monkeypatch.setattr(TFDSSource, "_split", offline)
    with pytest.raises(DataError) as err:
        load_arrays("fashion_mnist")
    message = str(err.value)
    assert str(no_system_data / "fashion_mnist") in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "GANZOO_DATA_DIR" in message and "network unreachable" in message
    assert "\n" not in message

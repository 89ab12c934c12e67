"""load_arrays on .npz/.npy/IDX files and in-memory arrays (NumPy + Pillow only)."""

import os
import subprocess
import sys

import numpy as np
import pytest
from data_helpers import random_images, write_idx

from ganzoo.data import (
    ArraySource,
    DataError,
    dataset_info,
    load_arrays,
    to_model_range,
    to_uint8,
)


def test_range_helpers_round_trip():
    images = np.arange(256, dtype=np.uint8).reshape(1, 16, 16, 1)
    floats = to_model_range(images)
    assert floats.dtype == np.float32 and floats.min() == -1.0 and floats.max() == 1.0
    np.testing.assert_array_equal(to_uint8(floats), images)
    assert to_uint8(np.array([-3.0, 3.0])).tolist() == [0, 255]


@pytest.mark.parametrize(
    "convert",
    [
        lambda x: x,
        lambda x: x.astype(np.float32) / 255.0,
        lambda x: x.astype(np.float64) / 127.5 - 1.0,
        lambda x: x.astype(np.float32),
        lambda x: x.astype(np.int64),
    ],
    ids=["uint8", "float01", "float-11", "float255", "int64"],
)
def test_npz_value_ranges_detected(tmp_path, convert):
    images = random_images(4, 6)
    images[0, 0, 0, 0], images[0, 0, 1, 0] = 0, 255  # make [0, 1] vs [-1, 1] detectable
    np.savez(tmp_path / "d.npz", images=convert(images), labels=np.arange(4))
    got, labels = load_arrays(tmp_path / "d.npz", with_labels=True)
    np.testing.assert_array_equal(got, images)
    assert got.dtype == np.uint8 and labels.dtype == np.int32
    assert labels.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("keys", [("x", "y"), ("x_train", "y_train")])
def test_npz_key_spellings_and_test_split(tmp_path, keys):
    images = random_images(3, 5)
    np.savez(
        tmp_path / "d.npz",
        **{keys[0]: images, keys[1]: [0, 1, 1], "x_test": images[:2], "y_test": [1, 0]},
    )
    assert load_arrays(tmp_path / "d.npz", with_labels=True)[1].tolist() == [0, 1, 1]
    test_images, test_labels = load_arrays(
        tmp_path / "d.npz", split="test", with_labels=True
    )
    assert test_images.shape == (2, 5, 5, 1) and test_labels.tolist() == [1, 0]


def test_npy_layouts(tmp_path):
    images = random_images(3, 6, 3)
    np.save(tmp_path / "nhw.npy", images[..., 0])
    np.save(tmp_path / "nchw.npy", images.transpose(0, 3, 1, 2))
    assert load_arrays(tmp_path / "nhw.npy")[0].shape == (3, 6, 6, 1)
    np.testing.assert_array_equal(load_arrays(tmp_path / "nchw.npy")[0], images)
    assert dataset_info(tmp_path / "nchw.npy") == ((6, 6, 3), 0, 3)


def test_resize_and_channel_conversion(tmp_path):
    np.save(tmp_path / "g.npy", random_images(2, 8, 1))
    rgb, _ = load_arrays(tmp_path / "g.npy", image_size=4, channels=3)
    assert rgb.shape == (2, 4, 4, 3)
    np.testing.assert_array_equal(rgb[..., 0], rgb[..., 2])
    np.save(tmp_path / "rgba.npy", random_images(2, 6, 4))
    assert load_arrays(tmp_path / "rgba.npy")[0].shape == (2, 6, 6, 3)
    assert load_arrays(tmp_path / "rgba.npy", channels=1)[0].shape == (2, 6, 6, 1)


def test_non_square_is_center_cropped(tmp_path):
    images = np.zeros((1, 4, 8, 1), np.uint8)
    images[:, :, 2:6] = 255  # the central 4×4 square is white
    np.save(tmp_path / "wide.npy", images)
    assert load_arrays(tmp_path / "wide.npy", image_size=4)[0].min() == 255


def test_limit(tmp_path):
    np.savez(tmp_path / "d.npz", images=random_images(10, 4), labels=np.arange(10))
    images, labels = load_arrays(tmp_path / "d.npz", with_labels=True, limit=3)
    assert len(images) == 3 and labels.tolist() == [0, 1, 2]


def test_idx_file_and_folder(tmp_path):
    images = random_images(6, 7)[..., 0]
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(
        tmp_path / "train-labels-idx1-ubyte.gz", np.array([0, 1, 2, 0, 1, 2], np.uint8)
    )
    got, labels = load_arrays(tmp_path / "train-images-idx3-ubyte.gz", with_labels=True)
    np.testing.assert_array_equal(got[..., 0], images)
    assert labels.tolist() == [0, 1, 2, 0, 1, 2]
    assert dataset_info(tmp_path) == ((7, 7, 1), 3, 6)  # folder of IDX files


def test_array_source_and_tuple():
    images, labels = random_images(4, 5, 3), np.array([0, 1, 0, 1])
    got, got_labels = load_arrays((images, labels), with_labels=True, channels=1)
    assert got.shape == (4, 5, 5, 1) and got_labels.tolist() == [0, 1, 0, 1]
    source = ArraySource(lambda split: (images, labels), name="mine", num_classes=2)
    assert dataset_info(source, image_size=16) == ((16, 16, 3), 2, 4)


# -- errors name the file and the fix ---------------------------------------
def test_unreadable_npz(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match="numpy.savez") as err:
        load_arrays(path)
    assert str(path) in str(err.value)


def test_npz_without_image_key(tmp_path):
    np.savez(tmp_path / "d.npz", pictures=random_images(2))
    with pytest.raises(DataError, match="found pictures") as err:
        load_arrays(tmp_path / "d.npz")
    assert str(tmp_path / "d.npz") in str(err.value)


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([0, -1, 1], "no negatives"),
        ([0, 5, 1], "has 3 classes"),
        ([0, 1], "3 images but 2 labels"),
        ([0.5, 1, 0], "whole numbers"),
    ],
)
def test_bad_labels(tmp_path, labels, match):
    np.savez(
        tmp_path / "d.npz",
        images=random_images(3),
        labels=labels,
        class_names=["a", "b", "c"],
    )
    with pytest.raises(DataError, match=match) as err:
        load_arrays(tmp_path / "d.npz", with_labels=True)
    assert str(tmp_path / "d.npz") in str(err.value)


def test_missing_labels_when_asked(tmp_path):
    np.save(tmp_path / "x.npy", random_images(2))
    with pytest.raises(DataError, match="no labels") as err:
        load_arrays(tmp_path / "x.npy", with_labels=True)
    assert str(tmp_path / "x.npy") in str(err.value)


def test_out_of_range_values(tmp_path):
    np.save(tmp_path / "x.npy", np.full((2, 4, 4), 300.0))
    with pytest.raises(DataError, match=r"\[-1, 1\]") as err:
        load_arrays(tmp_path / "x.npy")
    assert str(tmp_path / "x.npy") in str(err.value)


@pytest.mark.parametrize("channels", [2, 4])
def test_wrong_channel_count(tmp_path, channels):
    np.save(tmp_path / "x.npy", random_images(2))
    with pytest.raises(DataError, match="channels=1 .* or channels=3") as err:
        load_arrays(tmp_path / "x.npy", channels=channels)
    assert str(tmp_path / "x.npy") in str(err.value)


def test_missing_path_and_unknown_kind(tmp_path):
    with pytest.raises(DataError, match="no such file or folder") as err:
        load_arrays(tmp_path / "nope.npz")
    assert "nope.npz" in str(err.value)
    (tmp_path / "data.csv").write_text("1,2")
    with pytest.raises(DataError, match="cannot tell what kind") as err:
        load_arrays(tmp_path / "data.csv")
    assert "data.csv" in str(err.value)


def test_works_without_tensorflow(tmp_path):
    """JAX-only installs: load_arrays must not need TensorFlow."""
    np.savez(tmp_path / "d.npz", images=random_images(4, 8), labels=[0, 1, 0, 1])
    code = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "tensorflow":
            raise ImportError("tensorflow is blocked")
sys.meta_path.insert(0, Block())
import ganzoo.data as d
x, y = d.load_arrays({str(tmp_path / "d.npz")!r}, image_size=4, with_labels=True)
assert x.shape == (4, 4, 4, 1) and y.tolist() == [0, 1, 0, 1]
print("ok")
"""
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]

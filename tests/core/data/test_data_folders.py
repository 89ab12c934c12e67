"""Image folders: labels from class sub-folders, resizing, bad files."""

import warnings

import numpy as np
import pytest
from data_helpers import random_images, save_png

from ganzoo.data import BadImageError, DataError, DataWarning, dataset_info, load_arrays


def test_class_folders_give_sorted_labels(class_folder):
    images, labels = load_arrays(class_folder, with_labels=True)
    assert images.shape == (6, 8, 8, 3) and images.dtype == np.uint8
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert dataset_info(class_folder) == ((8, 8, 3), 2, 6)


def test_flat_folder_is_unlabelled(flat_folder):
    images, labels = load_arrays(flat_folder)
    assert images.shape == (5, 8, 8, 1) and labels is None
    with pytest.raises(DataError, match="one sub-folder per class") as err:
        load_arrays(flat_folder, with_labels=True)
    assert str(flat_folder) in str(err.value)


def test_pixels_survive_png_round_trip(tmp_path):
    image = random_images(1, 6, 3)[0]
    save_png(tmp_path / "d" / "a.png", image)
    np.testing.assert_array_equal(load_arrays(tmp_path / "d")[0][0], image)


def test_resize_and_channels(class_folder):
    images, _ = load_arrays(class_folder, image_size=5, channels=1)
    assert images.shape == (6, 5, 5, 1)


def test_jpeg_and_mixed_gray_rgb(tmp_path):
    from PIL import Image

    root = tmp_path / "mixed"
    save_png(root / "a.png", random_images(1, 8, 1)[0])
    Image.fromarray(random_images(1, 8, 3)[0]).save(root / "b.jpg", quality=90)
    images, _ = load_arrays(root)
    assert images.shape == (2, 8, 8, 3)  # the grayscale file joins as RGB
    np.testing.assert_array_equal(images[0, ..., 0], images[0, ..., 1])


def test_split_folders(tmp_path):
    save_png(tmp_path / "d" / "train" / "x" / "0.png", random_images(1)[0])
    save_png(tmp_path / "d" / "test" / "x" / "0.png", random_images(1)[0])
    save_png(tmp_path / "d" / "test" / "y" / "0.png", random_images(1)[0])
    assert len(load_arrays(tmp_path / "d")[0]) == 1
    assert load_arrays(tmp_path / "d", split="test", with_labels=True)[1].tolist() == [
        0,
        1,
    ]
    with pytest.raises(DataError, match="no 'validation'"):
        load_arrays(tmp_path / "d", split="validation")


def test_mixed_sizes_need_image_size(tmp_path):
    save_png(tmp_path / "d" / "a.png", random_images(1, 8)[0])
    save_png(tmp_path / "d" / "b.png", random_images(1, 6)[0])
    with pytest.raises(DataError, match="--image-size") as err:
        load_arrays(tmp_path / "d")
    assert "b.png" in str(err.value)
    assert load_arrays(tmp_path / "d", image_size=4)[0].shape == (2, 4, 4, 1)


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no images here")
    with pytest.raises(DataError, match="no images in") as err:
        load_arrays(tmp_path / "empty")
    assert str(tmp_path / "empty") in str(err.value)


def test_top_level_images_beside_class_folders(class_folder):
    save_png(class_folder / "stray.png", random_images(1, 8, 3)[0])
    with pytest.raises(DataError, match="stray.png"):
        load_arrays(class_folder)


def _corrupt(folder):
    (folder / "cat" / "garbage.png").write_bytes(b"this is not a png")
    truncated = folder / "dog" / "truncated.png"
    save_png(truncated, random_images(1, 8, 3)[0])
    truncated.write_bytes(truncated.read_bytes()[:60])
    return ["garbage.png", "truncated.png"]


def test_bad_image_is_an_error_naming_the_file(class_folder):
    names = _corrupt(class_folder)
    with pytest.raises(BadImageError, match="--skip-bad-images") as err:
        load_arrays(class_folder)
    assert any(name in str(err.value) for name in names)


def test_truncated_image_named(tmp_path):
    path = save_png(tmp_path / "d" / "t.png", random_images(1, 16, 3)[0])
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(BadImageError) as err:
        load_arrays(tmp_path / "d")
    assert str(path) in str(err.value)


def test_skip_bad_images_reports_count(class_folder):
    names = _corrupt(class_folder)
    with pytest.warns(DataWarning, match="skipped 2 unreadable") as record:
        images, labels = load_arrays(
            class_folder, with_labels=True, skip_bad_images=True
        )
    assert all(name in str(record[0].message) for name in names)
    assert images.shape == (6, 8, 8, 3) and labels.tolist() == [0, 0, 0, 1, 1, 1]


def test_no_warning_when_all_good(class_folder):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_arrays(class_folder, skip_bad_images=True)

"""ganzoo.data.make_dataset: the tf.data pipeline (used as a pipeline on every backend)."""

import numpy as np
import pytest
from data_helpers import random_images, write_mnist_like

from ganzoo.data import DataError, TFDSSource, make_dataset


@pytest.fixture
def npz(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, images=random_images(40, 8, 1), labels=np.arange(40) % 4)
    return path


def batches(ds, n=None):
    out = []
    for i, element in enumerate(ds):
        if n is not None and i == n:
            break
        out.append(
            element.numpy()
            if not isinstance(element, tuple)
            else tuple(e.numpy() for e in element)
        )
    return out


def test_images_in_model_range_with_labels(npz):
    ds = make_dataset(npz, batch_size=16, with_labels=True, image_size=4, channels=3)
    got = batches(ds)
    assert len(got) == 2  # 40 images, drop_remainder
    images, labels = got[0]
    assert images.shape == (16, 4, 4, 3) and images.dtype == np.float32
    assert labels.shape == (16,) and labels.dtype == np.int32
    assert -1.0 <= images.min() and images.max() <= 1.0
    assert len(batches(make_dataset(npz, batch_size=16, drop_remainder=False))) == 3


def test_values_match_load_arrays(tmp_path):
    images = random_images(8, 6, 3)
    np.save(tmp_path / "x.npy", images)
    (got,) = batches(make_dataset(tmp_path / "x.npy", batch_size=8, shuffle=False))
    np.testing.assert_allclose(got, images / 127.5 - 1.0, atol=1e-6)


def test_shuffle_is_seeded_and_reshuffled_each_epoch(npz):
    def order(seed):
        return [
            b[1].tolist()
            for b in batches(make_dataset(npz, batch_size=40, seed=seed, with_labels=True))
        ]

    assert order(0) == order(0) and order(0) != order(1)
    ds = make_dataset(npz, batch_size=40, with_labels=True, seed=0)
    first, second = (batches(ds)[0][1].tolist() for _ in range(2))
    assert first != second and sorted(first) == sorted(second)


def test_repeat(npz):
    assert len(batches(make_dataset(npz, batch_size=16, repeat=True), n=7)) == 7


def test_real_transforms_change_images_keep_shape_and_are_deterministic(npz):
    plain = batches(make_dataset(npz, batch_size=20, seed=3), n=1)[0]
    runs = [
        batches(
            make_dataset(npz, batch_size=20, seed=3,
                         real_transforms=("flip", "translate", "cutout")),
            n=2,
        )
        for _ in range(2)
    ]
    assert runs[0][0].shape == plain.shape and runs[0][0].dtype == np.float32
    assert not np.allclose(runs[0][0], plain)
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_unknown_real_transform_lists_valid(npz):
    with pytest.raises(DataError, match="did you mean 'flip'") as err:
        make_dataset(npz, real_transforms=["flipp"])
    assert "cutout" in str(err.value) and "translate" in str(err.value)


def test_augment_is_the_old_name_of_real_transforms(npz):
    with (
        pytest.warns(DeprecationWarning, match="now called 'real_transforms'"),
        pytest.raises(DataError, match="unknown real-data transform 'flipp'"),
    ):
        make_dataset(npz, augment=["flipp"])


def test_fewer_images_than_a_batch(npz):
    with pytest.raises(DataError, match="fewer than one batch") as err:
        make_dataset(npz, batch_size=64)
    assert str(npz) in str(err.value)


@pytest.mark.parametrize("channels", [2, 4])
def test_bad_channels(npz, channels):
    with pytest.raises(DataError, match="channels=3") as err:
        make_dataset(npz, channels=channels)
    assert str(npz) in str(err.value)


def test_streamed_folder_matches_in_memory(class_folder):
    kwargs = dict(batch_size=6, with_labels=True, shuffle=False, image_size=4)
    (memory,) = batches(make_dataset(class_folder, **kwargs))
    (streamed,) = batches(make_dataset(class_folder, cache=False, **kwargs))
    np.testing.assert_array_equal(memory[0], streamed[0])
    assert streamed[1].tolist() == [0, 0, 0, 1, 1, 1]


def test_streamed_folder_skips_bad_images(class_folder):
    (class_folder / "cat" / "bad.png").write_bytes(b"nope")
    with pytest.warns(UserWarning, match="skipped 1 unreadable"):
        ds = make_dataset(class_folder, batch_size=6, cache=False, skip_bad_images=True)
    assert batches(ds)[0].shape == (6, 8, 8, 3)


def test_local_fashion_mnist(no_system_data):
    write_mnist_like(no_system_data / "fashion-mnist", n_train=20)
    images, labels = batches(
        make_dataset("fashion_mnist", image_size=32, batch_size=10, with_labels=True)
    )[0]
    assert images.shape == (10, 32, 32, 1) and labels.max() < 10


def test_tfds_stream_resizes_and_converts(monkeypatch):
    """The TFDS path without downloading: tfds.load is replaced by in-memory data."""
    import tensorflow as tf

    rgb = random_images(12, 10, 3)
    rgb = np.concatenate([rgb, rgb[:, :, :4]], axis=2)  # 10×14: non-square

    def fake_split(self, split):
        return tf.data.Dataset.from_tensor_slices(
            {"image": rgb, "label": np.arange(12) % 3}
        )

    monkeypatch.setattr(TFDSSource, "_split", fake_split)
    source = TFDSSource(
        "fake", image_shape=(10, 14, 3), num_classes=3, num_examples={"train": 12}
    )
    images, labels = batches(
        make_dataset(
            source,
            image_size=5,
            channels=1,
            batch_size=12,
            with_labels=True,
            shuffle=False,
        )
    )[0]
    assert images.shape == (12, 5, 5, 1) and labels.tolist() == [0, 1, 2] * 4
    from ganzoo.data import load_arrays

    arrays, _ = load_arrays(source, image_size=10, channels=1)
    from ganzoo.pixels import to_grayscale

    np.testing.assert_array_equal(
        arrays, to_grayscale(rgb[:, :, 2:12])
    )  # center crop, Pillow luma

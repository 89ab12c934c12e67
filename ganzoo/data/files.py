"""Sources backed by array files: ``.npz``, ``.npy``, one IDX file, a folder of IDX files."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from ganzoo.data.idx import looks_like_idx, read_idx, read_idx_header
from ganzoo.data.source import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    count_classes,
    prepare_arrays,
    stored_channels,
)
from ganzoo.errors import DataError

NPZ_IMAGE_KEYS = ("images", "x", "x_train")
NPZ_LABEL_KEYS = ("labels", "y", "y_train")
# split -> IDX file name prefix (the MNIST convention)
IDX_SPLIT_PREFIXES = {"train": "train", "test": "t10k"}


def npz_keys(split: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Image and label keys looked up in an ``.npz`` for ``split``."""
    if split == "train":
        return NPZ_IMAGE_KEYS, NPZ_LABEL_KEYS
    return (f"x_{split}", f"images_{split}"), (f"y_{split}", f"labels_{split}")


def image_shape_of(array_shape: tuple[int, ...], origin: str) -> tuple[int, int, int]:
    """H×W×C of one image given a stored array's shape (same rules as ``as_nhwc``)."""
    from ganzoo.data.images import as_nhwc

    probe = np.empty((1, *array_shape[1:]), np.uint8)
    _, height, width, channels = as_nhwc(probe, origin).shape
    return height, width, stored_channels(channels)


def _single_split(path: Path, split: str, what: str) -> None:
    if split != "train":
        raise DataError(
            f"{path} is {what} with no '{split}' split; pass the path of the {split} data instead"
        )


class FileArraySource(DatasetSource):
    """Images (and labels) in a ``.npz`` or ``.npy`` file.

    ``.npz`` keys: images ``images``/``x``/``x_train`` (``x_test`` for split
    ``test``), labels ``labels``/``y``/``y_train``, optional ``class_names``.
    ``.npy`` holds images only.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = self.path.stem

    def describe(self) -> str:
        return str(self.path)

    def _fail(self, exc: BaseException) -> DataError:
        saver = "numpy.savez" if self.path.suffix == ".npz" else "numpy.save"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return DataError(
            f"cannot read {self.path} ({reason}); re-create it with {saver}"
        )

    def _open_npz(self):
        try:
            return np.load(self.path, allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise self._fail(exc) from None

    def _npz_arrays(self, split: str) -> tuple[np.ndarray, np.ndarray | None, int]:
        image_keys, label_keys = npz_keys(split)
        with self._open_npz() as npz:
            keys = list(npz.files)
            image_key = next((k for k in image_keys if k in keys), None)
            if image_key is None:
                raise DataError(
                    f"{self.path} has no images for split '{split}': expected a key "
                    f"{' or '.join(image_keys)}, found {', '.join(keys) or 'no arrays'}; "
                    "re-save it with numpy.savez(path, images=..., labels=...)"
                )
            label_key = next((k for k in label_keys if k in keys), None)
            try:
                images = npz[image_key]
                labels = npz[label_key] if label_key else None
                classes = len(npz["class_names"]) if "class_names" in keys else 0
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
                raise self._fail(exc) from None
        return images, labels, classes

    def load(self, split: str = "train") -> Arrays:
        images, labels, _ = self._load(split)
        return images, labels

    def _load(self, split: str) -> tuple[np.ndarray, np.ndarray | None, int]:
        if self.path.suffix == ".npz":
            return self._npz_arrays(split)
        _single_split(self.path, split, "a .npy file")
        try:
            return np.load(self.path, allow_pickle=False), None, 0
        except (OSError, ValueError, EOFError) as exc:
            raise self._fail(exc) from None

    def read(self, request: LoadRequest) -> Arrays:
        images, labels, classes = self._load(request.split)
        fix = (
            "save labels under the key 'labels' in the .npz"
            if self.path.suffix == ".npz"
            else "a .npy file holds images only; use a .npz with 'images' and 'labels'"
        )
        return prepare_arrays(
            images,
            labels,
            request,
            origin=self.describe(),
            num_classes=classes,
            no_labels_fix=fix,
        )

    def info(self, split: str = "train") -> DatasetInfo:
        if self.path.suffix == ".npy":
            _single_split(self.path, split, "a .npy file")
            try:
                shape = np.load(self.path, mmap_mode="r", allow_pickle=False).shape
            except (OSError, ValueError, EOFError) as exc:
                raise self._fail(exc) from None
            return DatasetInfo(image_shape_of(shape, self.describe()), 0, shape[0])
        images, labels, classes = self._npz_arrays(split)
        return DatasetInfo(
            image_shape_of(images.shape, self.describe()),
            classes or count_classes(labels, self.describe()),
            len(images),
        )


def labels_path_for(images_path: Path) -> Path | None:
    """The labels file next to an IDX images file (``*-images-idx3*`` -> ``*-labels-idx1*``)."""
    name = images_path.name
    for images_part, labels_part in (
        ("images-idx3", "labels-idx1"),
        ("images.idx3", "labels.idx1"),
    ):
        if images_part in name:
            candidate = images_path.with_name(name.replace(images_part, labels_part))
            for path in (candidate, _toggle_gz(candidate)):
                if path.is_file():
                    return path
            return candidate
    return None


def _toggle_gz(path: Path) -> Path:
    return (
        path.with_suffix("")
        if path.suffix == ".gz"
        else path.with_name(path.name + ".gz")
    )


class IDXFileSource(DatasetSource):
    """One IDX images file; labels from the matching ``*-labels-idx1*`` file beside it."""

    num_classes = 0

    def __init__(
        self,
        images_path: str | Path,
        labels_path: str | Path | None = None,
        *,
        num_classes: int = 0,
    ):
        self.path = Path(images_path)
        self.labels_path = (
            Path(labels_path) if labels_path else labels_path_for(self.path)
        )
        self.name = self.path.name
        self.num_classes = num_classes

    def describe(self) -> str:
        return str(self.path)

    def _labels(self) -> np.ndarray | None:
        if self.labels_path is None or not self.labels_path.is_file():
            return None
        return read_idx(self.labels_path)

    def load(self, split: str = "train") -> Arrays:
        _single_split(self.path, split, "one IDX file")
        return read_idx(self.path), self._labels()

    def read(self, request: LoadRequest) -> Arrays:
        images, labels = self.load(request.split)
        expected = self.labels_path or "a *-labels-idx1-ubyte file"
        return prepare_arrays(
            images,
            labels,
            request,
            origin=self.describe(),
            num_classes=self.num_classes,
            no_labels_fix=f"put its labels file at {expected}",
        )

    def info(self, split: str = "train") -> DatasetInfo:
        _single_split(self.path, split, "one IDX file")
        _, shape = read_idx_header(self.path)
        labels = self._labels()
        classes = self.num_classes or count_classes(labels, str(self.labels_path))
        return DatasetInfo(image_shape_of(shape, self.describe()), classes, shape[0])


def find_idx_files(directory: Path, split: str) -> tuple[Path, Path] | None:
    """``(images, labels)`` of ``split`` in an MNIST-style folder, or None.

    Accepts ``train-images-idx3-ubyte`` and ``train-images.idx3-ubyte``
    spellings, each plain or ``.gz`` (``t10k-`` for the test split).
    """
    prefix = IDX_SPLIT_PREFIXES.get(split)
    if prefix is None:
        return None
    for sep in ("-", "."):
        for gz in ("", ".gz"):
            images = directory / f"{prefix}-images{sep}idx3-ubyte{gz}"
            if images.is_file():
                labels = labels_path_for(images)
                return images, labels
    return None


def is_idx_folder(directory: Path) -> bool:
    """Whether a folder holds IDX files (rather than images)."""
    return any(looks_like_idx(p) for p in directory.iterdir() if p.is_file())


class IDXFolderSource(DatasetSource):
    """An MNIST-style folder: ``train-images-idx3-ubyte[.gz]``, ``t10k-…`` and labels."""

    def __init__(
        self, directory: str | Path, *, name: str | None = None, num_classes: int = 0
    ):
        self.directory = Path(directory)
        self.name = name or self.directory.name
        self.num_classes = num_classes

    def describe(self) -> str:
        return str(self.directory)

    def split_source(self, split: str) -> IDXFileSource:
        """The single-file source of one split, or DataError naming the files expected."""
        found = find_idx_files(self.directory, split)
        if found is None:
            prefix = IDX_SPLIT_PREFIXES.get(split)
            if prefix is None:
                raise DataError(
                    f"IDX folder {self.directory} has splits 'train' and 'test', not '{split}'; "
                    "use split='train' or split='test'"
                )
            raise DataError(
                f"no {prefix}-images-idx3-ubyte[.gz] in {self.directory} for split '{split}'; "
                "put the IDX files there"
            )
        return IDXFileSource(*found, num_classes=self.num_classes)

    def load(self, split: str = "train") -> Arrays:
        return self.split_source(split).load()

    def read(self, request: LoadRequest) -> Arrays:
        return self.split_source(request.split).read(replace(request, split="train"))

    def info(self, split: str = "train") -> DatasetInfo:
        return self.split_source(split).info()

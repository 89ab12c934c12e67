"""Sources backed by array files: ``.npz``, ``.npy`` and IDX (one file or an MNIST-style folder)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ganzoo.data.base import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    count_classes,
    prepare_arrays,
)
from ganzoo.data.idx import looks_like_idx, read_idx, read_idx_header
from ganzoo.data.images import image_shape_of
from ganzoo.errors import DataError

_NPZ_ERRORS = (OSError, ValueError, EOFError, zipfile.BadZipFile)
IDX_SPLIT_PREFIXES = {"train": "train", "test": "t10k"}  # split -> MNIST file name prefix


def npz_keys(split: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Image and label keys looked up in an ``.npz`` for ``split``."""
    if split == "train":
        return ("images", "x", "x_train"), ("labels", "y", "y_train")
    return (f"x_{split}", f"images_{split}"), (f"y_{split}", f"labels_{split}")


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
        return DataError(f"cannot read {self.path} ({reason}); re-create it with {saver}")

    def _arrays(self, split: str) -> tuple[np.ndarray, np.ndarray | None, int]:
        """(images, labels or None, number of class_names or 0) of ``split``."""
        if self.path.suffix != ".npz":
            _single_split(self.path, split, "a .npy file")
            try:
                return np.load(self.path, allow_pickle=False), None, 0
            except (OSError, ValueError, EOFError) as exc:
                raise self._fail(exc) from None
        image_keys, label_keys = npz_keys(split)
        try:
            with np.load(self.path, allow_pickle=False) as npz:
                keys = list(npz.files)
                image_key = next((k for k in image_keys if k in keys), None)
                if image_key is None:
                    raise DataError(
                        f"{self.path} has no images for split '{split}': expected a key "
                        f"{' or '.join(image_keys)}, found {', '.join(keys) or 'no arrays'}; "
                        "re-save it with numpy.savez(path, images=..., labels=...)"
                    )
                label_key = next((k for k in label_keys if k in keys), None)
                labels = npz[label_key] if label_key else None
                classes = len(npz["class_names"]) if "class_names" in keys else 0
                return npz[image_key], labels, classes
        except _NPZ_ERRORS as exc:
            raise self._fail(exc) from None

    def load(self, split: str = "train") -> Arrays:
        return self._arrays(split)[:2]

    def read(self, request: LoadRequest) -> Arrays:
        images, labels, classes = self._arrays(request.split)
        fix = (
            "save labels under the key 'labels' in the .npz"
            if self.path.suffix == ".npz"
            else "a .npy file holds images only; use a .npz with 'images' and 'labels'"
        )
        return prepare_arrays(images, labels, request, self.describe(), classes, fix)

    def info(self, split: str = "train") -> DatasetInfo:
        if self.path.suffix == ".npy":  # the header alone, memory-mapped
            _single_split(self.path, split, "a .npy file")
            try:
                shape = np.load(self.path, mmap_mode="r", allow_pickle=False).shape
            except (OSError, ValueError, EOFError) as exc:
                raise self._fail(exc) from None
            return DatasetInfo(image_shape_of(shape, self.describe()), 0, shape[0])
        images, labels, classes = self._arrays(split)
        classes = classes or count_classes(labels, self.describe())
        return DatasetInfo(image_shape_of(images.shape, self.describe()), classes, len(images))


def labels_path_for(images_path: Path) -> Path | None:
    """The labels file next to an IDX images file (``*-images-idx3*`` -> ``*-labels-idx1*``)."""
    name = images_path.name
    for images_part, labels_part in (("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1")):
        if images_part in name:
            candidate = images_path.with_name(name.replace(images_part, labels_part))
            toggled = (
                candidate.with_suffix("")
                if candidate.suffix == ".gz"
                else candidate.with_name(candidate.name + ".gz")
            )
            return next((p for p in (candidate, toggled) if p.is_file()), candidate)
    return None


def find_idx_files(directory: Path, split: str) -> Path | None:
    """The images file of ``split`` in an MNIST-style folder, or None.

    Accepts ``train-images-idx3-ubyte`` and ``train-images.idx3-ubyte``
    spellings, each plain or ``.gz`` (``t10k-`` for the test split).
    """
    prefix = IDX_SPLIT_PREFIXES.get(split)
    for sep in ("-", ".") if prefix else ():
        for gz in ("", ".gz"):
            images = directory / f"{prefix}-images{sep}idx3-ubyte{gz}"
            if images.is_file():
                return images
    return None


def is_idx_folder(directory: Path) -> bool:
    """Whether a folder holds IDX files (rather than images)."""
    return any(looks_like_idx(p) for p in directory.iterdir() if p.is_file())


class IDXSource(DatasetSource):
    """IDX data: one images file (labels from the ``*-labels-idx1*`` file beside it),
    or an MNIST-style folder (``train-images-idx3-ubyte[.gz]``, ``t10k-…``, labels)."""

    def __init__(self, path: str | Path, *, name: str | None = None, num_classes: int = 0):
        self.path = Path(path)
        self.name = name or self.path.name
        self.num_classes = num_classes

    def describe(self) -> str:
        return str(self.path)

    def files(self, split: str) -> tuple[Path, Path | None]:
        """``(images, labels)`` paths of ``split``, or DataError naming what is expected."""
        if not self.path.is_dir():
            _single_split(self.path, split, "one IDX file")
            return self.path, labels_path_for(self.path)
        images = find_idx_files(self.path, split)
        if images is None:
            prefix = IDX_SPLIT_PREFIXES.get(split)
            if prefix is None:
                raise DataError(
                    f"IDX folder {self.path} has splits 'train' and 'test', not '{split}'; "
                    "use split='train' or split='test'"
                )
            raise DataError(
                f"no {prefix}-images-idx3-ubyte[.gz] in {self.path} for split '{split}'; "
                "put the IDX files there"
            )
        return images, labels_path_for(images)

    def _labels(self, path: Path | None) -> np.ndarray | None:
        return read_idx(path) if path is not None and path.is_file() else None

    def load(self, split: str = "train") -> Arrays:
        images, labels = self.files(split)
        return read_idx(images), self._labels(labels)

    def read(self, request: LoadRequest) -> Arrays:
        images, labels = self.files(request.split)
        fix = f"put its labels file at {labels or 'a *-labels-idx1-ubyte file'}"
        return prepare_arrays(
            read_idx(images), self._labels(labels), request, str(images), self.num_classes, fix
        )

    def info(self, split: str = "train") -> DatasetInfo:
        images, labels = self.files(split)
        _, shape = read_idx_header(images)
        classes = self.num_classes or count_classes(self._labels(labels), str(labels))
        return DatasetInfo(image_shape_of(shape, str(images)), classes, shape[0])

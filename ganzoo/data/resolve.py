"""From what the user passed (a name, a path, arrays) to a dataset source.

Built-in names are the TFDS ones; for ``mnist`` and ``fashion_mnist`` local
files come first: ganzoo looks, in order, in ``$GANZOO_DATA_DIR/<name>``,
``~/.keras/datasets/<name>`` and ``/usr/share/datasets/<name>``
(``fashion_mnist`` and ``fashion-mnist`` spellings both) for IDX files
(``train-images-idx3-ubyte[.gz]``…) or a ``<name>.npz`` with
``x_train``/``y_train``/``x_test``/``y_test`` beside those folders (Keras'
own ``mnist.npz``). Only when none is found does TFDS run.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from ganzoo.data.array_files import (
    FileArraySource,
    IDXSource,
    find_idx_files,
    is_idx_folder,
    npz_keys,
)
from ganzoo.data.base import (
    Arrays,
    ArraySource,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
)
from ganzoo.data.folders import FolderSource
from ganzoo.data.idx import looks_like_idx
from ganzoo.data.images import IMAGE_EXTENSIONS
from ganzoo.data.tfds_datasets import TFDS_DATASETS, tfds_source
from ganzoo.errors import DataError
from ganzoo.registry import unknown_name_message

SourceLike = str | os.PathLike | DatasetSource | np.ndarray | tuple
SYSTEM_DATA_DIR = Path("/usr/share/datasets")  # Debian's dataset-* packages
# How to get each local-first dataset without internet, for the error message.
OFFLINE_FIXES = {
    "fashion_mnist": "run `apt-get install dataset-fashion-mnist` or put the IDX files in "
    "$GANZOO_DATA_DIR/fashion_mnist",
    "mnist": "put the IDX files in $GANZOO_DATA_DIR/mnist or Keras' mnist.npz in ~/.keras/datasets",
}


def search_dirs(name: str) -> list[Path]:
    """The folders searched for ``name``'s local files, in lookup order."""
    bases = [Path(os.environ["GANZOO_DATA_DIR"]).expanduser()] if os.environ.get("GANZOO_DATA_DIR") else []
    bases += [Path("~/.keras/datasets").expanduser(), SYSTEM_DATA_DIR]
    spellings = dict.fromkeys([name, name.replace("_", "-"), name.replace("-", "_")])
    return [base / spelling for base in bases for spelling in spellings]


def _npz_has(path: Path, split: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.removesuffix(".npy") for n in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return True  # let reading it report the problem, naming the file
    return any(k in names for k in npz_keys(split)[0])


class LocalFirstSource(DatasetSource):
    """Local IDX/npz files of an MNIST-like dataset when present, TFDS otherwise."""

    def __init__(self, name: str):
        self.name = name
        self.tfds = tfds_source(name, offline_hint=self.offline_hint)
        self.num_classes = self.tfds.num_classes

    def offline_hint(self) -> str:
        dirs = ", ".join(str(d) for d in search_dirs(self.name))
        fix = OFFLINE_FIXES.get(self.name, f"put the IDX files in $GANZOO_DATA_DIR/{self.name}")
        return f"no local files for dataset '{self.name}' in {dirs}; {fix}."

    def resolve(self, split: str) -> DatasetSource:
        """The first local copy holding ``split``, else the TFDS source."""
        for directory in search_dirs(self.name):
            if directory.is_dir() and find_idx_files(directory, split):
                return IDXSource(directory, name=self.name, num_classes=self.num_classes)
            npz = directory.with_name(directory.name + ".npz")
            if npz.is_file() and _npz_has(npz, split):
                return FileArraySource(npz)
        return self.tfds

    def load(self, split: str = "train") -> Arrays:
        return self.resolve(split).load(split)

    def read(self, request: LoadRequest) -> Arrays:
        return self.resolve(request.split).read(request)

    def info(self, split: str = "train") -> DatasetInfo:
        return self.resolve(split).info(split)  # TFDS answers from known metadata

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        return self.resolve(request.split).tf_dataset(request, cache=cache)


def builtin_datasets() -> dict[str, DatasetSource]:
    """name -> source of every dataset the core registers (TFDS names, local first for MNIST-likes)."""
    local_first = ("mnist", "fashion_mnist")
    return {n: LocalFirstSource(n) if n in local_first else tfds_source(n) for n in TFDS_DATASETS}


def source_for_path(path: Path) -> DatasetSource:
    """The source reading a file or folder, chosen by what it holds."""
    if not path.exists():
        raise DataError(
            f"no such file or folder: {path}; check the path (or give a registered "
            "dataset name such as fashion_mnist)"
        )
    if path.is_dir():
        return IDXSource(path) if is_idx_folder(path) else FolderSource(path)
    if path.suffix.lower() in (".npz", ".npy"):
        return FileArraySource(path)
    if looks_like_idx(path):
        return IDXSource(path)
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        raise DataError(f"{path} is one image, not a dataset; pass the folder that holds the images")
    raise DataError(
        f"cannot tell what kind of dataset {path} is; pass an image folder, a .npz/.npy "
        "file or an IDX file (*-idx3-ubyte[.gz])"
    )


def _looks_like_path(text: str) -> bool:
    return (
        os.sep in text
        or "/" in text
        or text.startswith(("~", "."))
        or Path(text).suffix.lower() in (".npz", ".npy", ".gz", *IMAGE_EXTENSIONS)
        or looks_like_idx(text)
    )


def _registered(name: str, datasets) -> DatasetSource | None:
    if name not in datasets:
        return None
    entry = datasets.entry(name)
    source = entry.obj
    if not isinstance(source, DatasetSource) and callable(source):
        source = source()  # a factory: fn() -> DatasetSource
    if not isinstance(source, DatasetSource):
        raise DataError(
            f"dataset '{name}' from plugin '{entry.plugin}' is a {type(source).__name__}, not a "
            "ganzoo.data.DatasetSource; register ArraySource(load_fn) or a DatasetSource"
        )
    return source


def _in_memory(images: np.ndarray, labels: np.ndarray | None = None) -> ArraySource:
    def load_fn(split: str) -> Arrays:
        if split != "train":
            raise DataError(f"dataset 'arrays' holds only a 'train' split, not '{split}'; use split='train'")
        return images, labels

    return ArraySource(load_fn)


def resolve_source(source: SourceLike) -> DatasetSource:
    """A DatasetSource for a registered name, a path, arrays or a source itself."""
    if isinstance(source, DatasetSource):
        return source
    if isinstance(source, np.ndarray):
        return _in_memory(source)
    if isinstance(source, tuple) and len(source) == 2:
        return _in_memory(*source)
    if isinstance(source, os.PathLike):
        return source_for_path(Path(source).expanduser())
    if not isinstance(source, str) or not source:
        raise DataError(
            f"cannot load a dataset from {type(source).__name__} {source!r}; pass a dataset "
            "name, a path, or (images, labels) arrays"
        )
    if not _looks_like_path(source):
        # Imported here: the registry loads plugins, and plugins import ganzoo.data.
        from ganzoo.plugins import registries

        datasets = registries().datasets
        registered = _registered(source, datasets)
        if registered is not None:
            return registered
        if not Path(source).exists():
            raise DataError(
                unknown_name_message("dataset", source, datasets.names())
                + "; or pass a path to an image folder, a .npz/.npy file or an IDX file"
            )
    return source_for_path(Path(source).expanduser())

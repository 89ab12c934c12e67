"""Built-in dataset names and turning whatever the user passed into a source."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ganzoo.data.files import (
    FileArraySource,
    IDXFileSource,
    IDXFolderSource,
    is_idx_folder,
)
from ganzoo.data.folders import FolderSource
from ganzoo.data.idx import looks_like_idx
from ganzoo.data.images import IMAGE_EXTENSIONS
from ganzoo.data.local import LocalFirstSource
from ganzoo.data.source import ArraySource, DatasetSource
from ganzoo.data.tfds_source import TFDS_DATASETS, tfds_source
from ganzoo.errors import DataError
from ganzoo.registry import unknown_name_message

LOCAL_FIRST = ("mnist", "fashion_mnist")
SourceLike = str | os.PathLike | DatasetSource | np.ndarray | tuple


def builtin_datasets() -> dict[str, DatasetSource]:
    """name -> source of every dataset the core registers (TFDS names, local first for MNIST-likes)."""
    return {
        name: LocalFirstSource(name) if name in LOCAL_FIRST else tfds_source(name)
        for name in TFDS_DATASETS
    }


def source_for_path(path: Path) -> DatasetSource:
    """The source reading a file or folder, chosen by what it holds."""
    if not path.exists():
        raise DataError(
            f"no such file or folder: {path}; check the path (or give a registered "
            "dataset name such as fashion_mnist)"
        )
    if path.is_dir():
        return IDXFolderSource(path) if is_idx_folder(path) else FolderSource(path)
    suffix = path.suffix.lower()
    if suffix in (".npz", ".npy"):
        return FileArraySource(path)
    if looks_like_idx(path):
        return IDXFileSource(path)
    if suffix in IMAGE_EXTENSIONS:
        raise DataError(
            f"{path} is one image, not a dataset; pass the folder that holds the images"
        )
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


def _registered(name: str) -> DatasetSource | None:
    from ganzoo.plugins import registries

    datasets = registries().datasets
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


def resolve_source(source: SourceLike) -> DatasetSource:
    """A DatasetSource for a registered name, a path, arrays or a source itself."""
    if isinstance(source, DatasetSource):
        return source
    if isinstance(source, np.ndarray):
        return ArraySource.from_arrays(source)
    if isinstance(source, tuple) and len(source) == 2:
        return ArraySource.from_arrays(*source)
    if isinstance(source, os.PathLike):
        return source_for_path(Path(source).expanduser())
    if not isinstance(source, str) or not source:
        raise DataError(
            f"cannot load a dataset from {type(source).__name__} {source!r}; pass a dataset "
            "name, a path, or (images, labels) arrays"
        )
    if not _looks_like_path(source):
        registered = _registered(source)
        if registered is not None:
            return registered
        if not Path(source).exists():
            from ganzoo.plugins import registries

            raise DataError(
                unknown_name_message("dataset", source, registries().datasets.names())
                + "; or pass a path to an image folder, a .npz/.npy file or an IDX file"
            )
    return source_for_path(Path(source).expanduser())

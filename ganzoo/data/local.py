"""Offline-first lookup of MNIST-like datasets before asking TFDS.

For ``mnist`` and ``fashion_mnist`` ganzoo looks, in order, in
``$GANZOO_DATA_DIR/<name>``, ``~/.keras/datasets/<name>`` and
``/usr/share/datasets/<name>`` (``fashion_mnist`` and ``fashion-mnist``
spellings both), for IDX files (``train-images-idx3-ubyte[.gz]``…) or a
``<name>.npz`` with ``x_train``/``y_train``/``x_test``/``y_test`` beside those
folders (Keras' own ``mnist.npz``). Only when none is found does TFDS run.
"""

from __future__ import annotations

import os
from pathlib import Path

from ganzoo.data.files import FileArraySource, IDXFolderSource, find_idx_files, npz_keys
from ganzoo.data.source import Arrays, DatasetInfo, DatasetSource, LoadRequest
from ganzoo.data.tfds_source import TFDSSource, tfds_source

SYSTEM_DATA_DIR = Path("/usr/share/datasets")  # Debian's dataset-* packages
# How to get each dataset without internet, for the error message.
OFFLINE_FIXES = {
    "fashion_mnist": "run `apt-get install dataset-fashion-mnist` or put the IDX files in "
    "$GANZOO_DATA_DIR/fashion_mnist",
    "mnist": "put the IDX files in $GANZOO_DATA_DIR/mnist or Keras' mnist.npz in "
    "~/.keras/datasets",
}


def search_dirs(name: str) -> list[Path]:
    """The folders searched for ``name``'s local files, in lookup order."""
    bases = []
    if os.environ.get("GANZOO_DATA_DIR"):
        bases.append(Path(os.environ["GANZOO_DATA_DIR"]).expanduser())
    bases += [Path("~/.keras/datasets").expanduser(), SYSTEM_DATA_DIR]
    spellings = dict.fromkeys([name, name.replace("_", "-"), name.replace("-", "_")])
    return [base / spelling for base in bases for spelling in spellings]


def find_local(name: str, split: str, num_classes: int = 0) -> DatasetSource | None:
    """A source for the first local copy of ``name`` holding ``split``, or None."""
    for directory in search_dirs(name):
        if directory.is_dir() and find_idx_files(directory, split):
            return IDXFolderSource(directory, name=name, num_classes=num_classes)
        npz = directory.with_name(directory.name + ".npz")
        if npz.is_file() and _npz_has(npz, split):
            return FileArraySource(npz)
    return None


def _npz_has(path: Path, split: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.removesuffix(".npy") for n in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return True  # let reading it report the problem, naming the file
    return any(k in names for k in npz_keys(split)[0])


class LocalFirstSource(DatasetSource):
    """Local IDX/npz files of an MNIST-like dataset when present, TFDS otherwise."""

    def __init__(self, name: str, tfds: TFDSSource | None = None):
        self.name = name
        self.tfds = tfds or tfds_source(name, offline_hint=self.offline_hint)
        self.num_classes = self.tfds.num_classes

    def describe(self) -> str:
        return f"dataset '{self.name}'"

    def offline_hint(self) -> str:
        dirs = ", ".join(str(d) for d in search_dirs(self.name))
        fix = OFFLINE_FIXES.get(
            self.name, f"put the IDX files in $GANZOO_DATA_DIR/{self.name}"
        )
        return f"no local files for dataset '{self.name}' in {dirs}; {fix}."

    def resolve(self, split: str) -> DatasetSource:
        """The local source holding ``split``, else the TFDS one."""
        return find_local(self.name, split, self.num_classes) or self.tfds

    def load(self, split: str = "train") -> Arrays:
        return self.resolve(split).load(split)

    def read(self, request: LoadRequest) -> Arrays:
        return self.resolve(request.split).read(request)

    def info(self, split: str = "train") -> DatasetInfo:
        source = self.resolve(split)
        if source is self.tfds:  # known metadata: no need to ask TFDS
            return self.tfds.info(split)
        return source.info(split)

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        return self.resolve(request.split).tf_dataset(request, cache=cache)

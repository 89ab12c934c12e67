"""Dataset sources and input pipelines.

``make_dataset`` builds a tf.data pipeline of images in [-1, 1];
``load_arrays`` loads into NumPy without TensorFlow (JAX-only installs);
``dataset_info`` sizes a model before loading. Importing this package does
not import TensorFlow.
"""

from __future__ import annotations

from ganzoo.data.array_files import FileArraySource, IDXSource
from ganzoo.data.base import ArraySource, DatasetInfo, DatasetSource, LoadRequest
from ganzoo.data.folders import FolderSource
from ganzoo.data.idx import read_idx
from ganzoo.data.pipeline import dataset_info, load_arrays, make_dataset
from ganzoo.data.real_transforms import REAL_TRANSFORMS
from ganzoo.data.resolve import (
    LocalFirstSource,
    builtin_datasets,
    resolve_source,
    search_dirs,
)
from ganzoo.data.tfds_datasets import TFDSSource
from ganzoo.errors import BadImageError, DataError, DataWarning
from ganzoo.pixels import to_model_range, to_uint8

__all__ = [
    "ArraySource",
    "BadImageError",
    "DataError",
    "DataWarning",
    "DatasetInfo",
    "DatasetSource",
    "FileArraySource",
    "FolderSource",
    "IDXSource",
    "LoadRequest",
    "LocalFirstSource",
    "REAL_TRANSFORMS",
    "TFDSSource",
    "builtin_datasets",
    "dataset_info",
    "load_arrays",
    "make_dataset",
    "read_idx",
    "resolve_source",
    "search_dirs",
    "to_model_range",
    "to_uint8",
]

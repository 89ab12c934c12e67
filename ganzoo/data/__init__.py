"""Dataset sources and tf.data pipelines.

``load`` builds a tf.data pipeline of images in [-1, 1]; ``load_arrays``
loads into NumPy without TensorFlow (JAX-only installs). Importing this
package does not import TensorFlow.
"""

from __future__ import annotations

from ganzoo.data.augment import AUGMENTATIONS
from ganzoo.data.files import FileArraySource, IDXFileSource, IDXFolderSource
from ganzoo.data.folders import FolderSource
from ganzoo.data.idx import read_idx, write_idx
from ganzoo.data.loading import dataset_info, load_arrays
from ganzoo.data.local import LocalFirstSource, search_dirs
from ganzoo.data.pipeline import load
from ganzoo.data.ranges import to_model_range, to_uint8
from ganzoo.data.source import ArraySource, DatasetInfo, DatasetSource, LoadRequest
from ganzoo.data.sources import builtin_datasets, resolve_source
from ganzoo.data.tfds_source import TFDSSource
from ganzoo.errors import BadImageError, DataError, DataWarning

__all__ = [
    "AUGMENTATIONS",
    "ArraySource",
    "BadImageError",
    "DataError",
    "DataWarning",
    "DatasetInfo",
    "DatasetSource",
    "FileArraySource",
    "FolderSource",
    "IDXFileSource",
    "IDXFolderSource",
    "LoadRequest",
    "LocalFirstSource",
    "TFDSSource",
    "builtin_datasets",
    "dataset_info",
    "load",
    "load_arrays",
    "read_idx",
    "resolve_source",
    "search_dirs",
    "to_model_range",
    "to_uint8",
    "write_idx",
]

"""NumPy-only loading: what JAX-only installs use (no TensorFlow needed).

``load_arrays`` reads image folders, ``.npz``/``.npy`` and IDX files with
NumPy and Pillow; only TFDS names need TensorFlow.
"""

from __future__ import annotations

import numpy as np

from ganzoo.data.images import check_channels, check_image_size
from ganzoo.data.source import DatasetInfo, LoadRequest
from ganzoo.data.sources import SourceLike, resolve_source


def load_arrays(
    source: SourceLike,
    *,
    image_size: int | None = None,
    channels: int | None = None,
    with_labels: bool = False,
    split: str = "train",
    skip_bad_images: bool = False,
    limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Load a whole split into memory as ``(uint8 N×H×W×C images, int32 labels or None)``.

    ``source`` is a registered dataset name, a path (image folder, ``.npz``,
    ``.npy``, IDX file or folder) or a :class:`DatasetSource`. Images are
    center-cropped and resized to ``image_size`` when given and converted to
    ``channels`` (1 or 3) when given. Labels are returned only when
    ``with_labels`` (an error if the source has none). ``limit`` keeps the
    first N examples. Feed a model with ``to_model_range(images)``.
    """
    check_image_size(image_size)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    request = LoadRequest(
        split, image_size, channels, with_labels, skip_bad_images, limit
    )
    return src.read(request)


def dataset_info(
    source: SourceLike,
    *,
    split: str = "train",
    image_size: int | None = None,
    channels: int | None = None,
) -> DatasetInfo:
    """``(image shape, num_classes or 0, num examples)`` of a split, cheaply where possible.

    Headers and metadata are read instead of the data where the format
    allows (IDX, ``.npy``, image folders: the first image's size, built-in
    TFDS names: offline metadata). With ``image_size``/``channels`` the shape
    is the one :func:`load` would deliver. A size that varies is reported as 0.
    """
    check_image_size(image_size)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    shape, num_classes, num_examples = src.info(split)
    height, width, stored = shape
    if image_size is not None:
        height = width = image_size
    return DatasetInfo((height, width, channels or stored), num_classes, num_examples)

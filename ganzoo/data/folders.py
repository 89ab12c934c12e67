"""Image folders: flat (unlabelled) or one sub-folder per class (labelled).

Class sub-folders sorted by name give labels 0..K-1; images inside a class
folder are found recursively. A folder whose sub-folders are only split names
(``train``, ``test``, ``validation``…) is read one split at a time. Folders
that fit the cache budget are decoded into memory (threads: Pillow releases
the GIL); larger ones are decoded inside tf.data as they stream.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ganzoo.data.base import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    cache_budget_bytes,
    missing_labels_message,
)
from ganzoo.data.images import (
    IMAGE_EXTENSIONS,
    convert_channels,
    is_image_file,
    natural_channels,
    read_image,
    read_image_header,
)
from ganzoo.errors import BadImageError, DataError, DataWarning

SPLIT_FOLDER_NAMES = {"train", "test", "val", "valid", "validation"}
_MAX_NAMED = 5  # bad files named in a skip warning


def _visible_dirs(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))


def _images_in(path: Path, recursive: bool) -> list[Path]:
    found = path.rglob("*") if recursive else path.iterdir()
    return sorted(p for p in found if p.is_file() and is_image_file(p))


def split_root(root: Path, split: str) -> Path:
    """The folder holding ``split``: ``root/split`` for split folders, else ``root``."""
    names = {d.name for d in _visible_dirs(root)}
    if names and names <= SPLIT_FOLDER_NAMES:
        if split not in names:
            raise DataError(
                f"{root} has split folders {', '.join(sorted(names))} but no '{split}'; "
                f"use split={'/'.join(sorted(names))}"
            )
        return root / split
    if split != "train":
        raise DataError(
            f"image folder {root} has no '{split}' split (no '{split}' sub-folder); "
            "pass the path of the folder holding that split instead"
        )
    return root


def list_image_folder(root: Path, split: str = "train") -> tuple[Path, list[Path], np.ndarray | None, int]:
    """``(folder, image files, int32 labels or None, number of classes)`` of ``split``."""
    root = split_root(root, split)
    has_classes = any(_images_in(d, recursive=True) for d in _visible_dirs(root))
    top_level = _images_in(root, recursive=False)
    if has_classes:
        if top_level:
            raise DataError(
                f"{root} mixes images at its top level ({top_level[0].name}, …) with class "
                "sub-folders; move the top-level images into a class folder or remove them"
            )
        class_dirs = _visible_dirs(root)  # empty class folders keep their label number
        found = [_images_in(d, recursive=True) for d in class_dirs]
        labels = np.concatenate([np.full(len(f), i, np.int32) for i, f in enumerate(found)])
        return root, [p for f in found for p in f], labels, len(class_dirs)
    if not top_level:
        raise DataError(
            f"no images in {root} (looked for {', '.join(IMAGE_EXTENSIONS)}); "
            "put images in it, or one sub-folder of images per class"
        )
    return root, top_level, None, 0


def _keep_readable(root, files, results, request) -> list[int]:
    """Indices of files whose result is not a BadImageError; raise or warn about the rest."""
    bad = [(f, r) for f, r in zip(files, results, strict=True) if isinstance(r, BadImageError)]
    if bad and not request.skip_bad_images:
        raise bad[0][1]
    if bad:
        named = "; ".join(f"{path} ({exc.reason})" for path, exc in bad[:_MAX_NAMED])
        more = f"; and {len(bad) - _MAX_NAMED} more" if len(bad) > _MAX_NAMED else ""
        warnings.warn(
            f"skipped {len(bad)} unreadable image(s) in {root}: {named}{more}", DataWarning, stacklevel=3
        )
        if len(bad) == len(files):
            raise DataError(f"every image in {root} is unreadable; {bad[0][1]}")
    return [i for i, r in enumerate(results) if not isinstance(r, BadImageError)]


def _same_size_or_fail(root: Path, files, shapes) -> None:
    for path, shape in zip(files, shapes, strict=True):
        if shape != shapes[0]:
            raise DataError(
                f"images in {root} have different sizes: {files[0]} is {shapes[0][1]}×{shapes[0][0]} "
                f"and {path} is {shape[1]}×{shape[0]}; pass image_size (--image-size) to resize them"
            )


def _try(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except BadImageError as exc:
        return exc


class FolderSource(DatasetSource):
    """A folder of image files (png, jpg, jpeg, bmp, webp)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.name = self.root.name

    def describe(self) -> str:
        return str(self.root)

    def listing(self, request: LoadRequest) -> tuple[Path, list[Path], np.ndarray | None]:
        """``(folder, files, labels)`` that ``request`` reads (its split, its limit)."""
        root, files, labels, _ = list_image_folder(self.root, request.split)
        if request.with_labels and labels is None:
            raise DataError(missing_labels_message(str(root), "put the images in one sub-folder per class"))
        if request.limit is not None:
            files = files[: request.limit]
            labels = None if labels is None else labels[: request.limit]
        return root, files, labels

    def read(self, request: LoadRequest) -> Arrays:
        root, files, labels = self.listing(request)
        with ThreadPoolExecutor(8) as pool:
            decoded = list(pool.map(
                lambda p: _try(read_image, p, image_size=request.image_size, channels=request.channels),
                files,
            ))
        keep = _keep_readable(root, files, decoded, request)
        images, files = [decoded[i] for i in keep], [files[i] for i in keep]
        if request.image_size is None:
            _same_size_or_fail(root, files, [im.shape[:2] for im in images])
        if request.channels is None:  # grayscale files join RGB ones as RGB
            channels = max(im.shape[-1] for im in images)
            images = [convert_channels(im[None], channels, str(f))[0] for im, f in zip(images, files, strict=True)]
        labels = labels[keep] if request.with_labels and labels is not None else None
        return np.stack(images), labels

    def info(self, split: str = "train") -> DatasetInfo:
        _, files, _, num_classes = list_image_folder(self.root, split)
        width, height, mode = read_image_header(files[0])
        return DatasetInfo((height, width, natural_channels(mode)), num_classes, len(files))

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        """None when the decoded folder fits the cache budget, else a decoding stream."""
        root, files, labels = self.listing(request)
        headers = [_try(read_image_header, path) for path in files]  # cheap: headers only
        keep = _keep_readable(root, files, headers, request)
        files, headers = [files[i] for i in keep], [headers[i] for i in keep]
        labels = None if labels is None else labels[keep]
        if request.image_size is None:
            _same_size_or_fail(root, files, [(h[1], h[0]) for h in headers])
            height, width = headers[0][1], headers[0][0]
        else:
            height = width = request.image_size
        channels = request.channels or max(natural_channels(h[2]) for h in headers)
        if cache and len(files) * height * width * channels <= cache_budget_bytes():
            return None  # fits: the pipeline reads it into memory with read()
        return _stream(files, labels, (height, width, channels), request)


def _stream(files: list[Path], labels: np.ndarray | None, shape: tuple[int, int, int], request):
    """Decode files inside tf.data (Pillow in parallel map calls), no cache."""
    import tensorflow as tf

    height, width, channels = shape

    def decode(path: bytes) -> tuple[np.ndarray, np.bool_]:
        try:
            image = read_image(path.decode(), image_size=request.image_size, channels=channels)
        except BadImageError as exc:
            if not request.skip_bad_images:
                raise
            warnings.warn(f"skipped unreadable image: {exc}", DataWarning, stacklevel=2)
            return np.zeros(shape, np.uint8), np.bool_(False)
        if image.shape != shape:
            raise DataError(
                f"{path.decode()} is {image.shape[1]}×{image.shape[0]}, not {width}×{height}; "
                "pass image_size (--image-size) to resize every image"
            )
        return image, np.bool_(True)

    def load_one(path, label):
        image, ok = tf.numpy_function(decode, [path], [tf.uint8, tf.bool], stateful=False)
        image.set_shape(shape)
        return image, label, ok

    label_values = labels if labels is not None else np.full(len(files), -1, np.int32)
    ds = tf.data.Dataset.from_tensor_slices(([str(f) for f in files], label_values))
    ds = ds.map(load_one, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.filter(lambda image, label, ok: ok).map(lambda image, label, ok: (image, label))

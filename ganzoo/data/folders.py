"""Image folders: flat (unlabelled) or one sub-folder per class (labelled).

Class sub-folders sorted by name give labels 0..K-1; images inside a class
folder are found recursively. A folder whose sub-folders are only split names
(``train``, ``test``, ``validation``…) is read one split at a time.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganzoo.data.images import (
    IMAGE_EXTENSIONS,
    convert_channels,
    is_image_file,
    natural_channels,
    read_image,
    read_image_header,
)
from ganzoo.data.source import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    cache_budget_bytes,
    missing_labels_message,
)
from ganzoo.errors import BadImageError, DataError, DataWarning

SPLIT_FOLDER_NAMES = {"train", "test", "val", "valid", "validation"}
_MAX_NAMED = 5  # bad files named in a skip warning
_WORKERS = 8  # Pillow releases the GIL while decoding


@dataclass
class FolderListing:
    """The image files of a folder and their labels."""

    root: Path
    files: list[Path]
    labels: np.ndarray | None  # int32, None for a flat folder
    class_names: list[str]


def _visible_dirs(path: Path) -> list[Path]:
    return sorted(
        p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")
    )


def _images_in(path: Path, recursive: bool) -> list[Path]:
    found = path.rglob("*") if recursive else path.iterdir()
    return sorted(p for p in found if p.is_file() and is_image_file(p))


def split_root(root: Path, split: str) -> Path:
    """The folder holding ``split``: ``root/split`` for split folders, else ``root``."""
    subdirs = _visible_dirs(root)
    names = {d.name for d in subdirs}
    if subdirs and names <= SPLIT_FOLDER_NAMES:
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


def list_image_folder(root: Path, split: str = "train") -> FolderListing:
    """Find the images of ``split`` in ``root`` and label them by class folder."""
    root = split_root(root, split)
    class_dirs = [d for d in _visible_dirs(root) if _images_in(d, recursive=True)]
    top_level = _images_in(root, recursive=False)
    if class_dirs:
        if top_level:
            raise DataError(
                f"{root} mixes images at its top level ({top_level[0].name}, …) with class "
                "sub-folders; move the top-level images into a class folder or remove them"
            )
        class_dirs = _visible_dirs(root)  # empty class folders keep their label number
        files: list[Path] = []
        labels: list[int] = []
        for label, directory in enumerate(class_dirs):
            found = _images_in(directory, recursive=True)
            files += found
            labels += [label] * len(found)
        return FolderListing(
            root, files, np.asarray(labels, np.int32), [d.name for d in class_dirs]
        )
    if not top_level:
        raise DataError(
            f"no images in {root} (looked for {', '.join(IMAGE_EXTENSIONS)}); "
            "put images in it, or one sub-folder of images per class"
        )
    return FolderListing(root, top_level, None, [])


def warn_skipped(root: Path, bad: Sequence[tuple[Path, str]]) -> None:
    """One warning naming how many images were skipped and the first few."""
    named = "; ".join(f"{path} ({reason})" for path, reason in bad[:_MAX_NAMED])
    more = f"; and {len(bad) - _MAX_NAMED} more" if len(bad) > _MAX_NAMED else ""
    warnings.warn(
        f"skipped {len(bad)} unreadable image(s) in {root}: {named}{more}",
        DataWarning,
        stacklevel=3,
    )


def _same_size_or_fail(
    root: Path, files: Sequence[Path], shapes: Sequence[tuple[int, int]]
) -> None:
    for path, shape in zip(files, shapes, strict=True):
        if shape != shapes[0]:
            raise DataError(
                f"images in {root} have different sizes: {files[0]} is {shapes[0][1]}×{shapes[0][0]} "
                f"and {path} is {shape[1]}×{shape[0]}; pass image_size (--image-size) to resize them"
            )


class FolderSource(DatasetSource):
    """A folder of image files (png, jpg, jpeg, bmp, webp)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.name = self.root.name

    def describe(self) -> str:
        return str(self.root)

    def listing(self, request: LoadRequest) -> FolderListing:
        """The files ``request`` reads (its split, its limit), with labels when asked for."""
        listing = list_image_folder(self.root, request.split)
        if request.with_labels and listing.labels is None:
            raise DataError(
                missing_labels_message(
                    str(listing.root), "put the images in one sub-folder per class"
                )
            )
        if request.limit is not None:
            listing.files = listing.files[: request.limit]
            if listing.labels is not None:
                listing.labels = listing.labels[: request.limit]
        return listing

    def read(self, request: LoadRequest) -> Arrays:
        listing = self.listing(request)

        def decode(path: Path) -> np.ndarray | BadImageError:
            try:
                return read_image(
                    path, image_size=request.image_size, channels=request.channels
                )
            except BadImageError as exc:
                return exc

        with ThreadPoolExecutor(_WORKERS) as pool:
            decoded = list(pool.map(decode, listing.files))
        keep = [i for i, d in enumerate(decoded) if not isinstance(d, BadImageError)]
        if len(keep) < len(decoded):
            bad = [
                (listing.files[i], d)
                for i, d in enumerate(decoded)
                if isinstance(d, BadImageError)
            ]
            if not request.skip_bad_images:
                raise bad[0][1]
            warn_skipped(listing.root, [(p, e.reason) for p, e in bad])
            if not keep:
                raise DataError(
                    f"every image in {listing.root} is unreadable; {bad[0][1]}"
                )
        images = [decoded[i] for i in keep]
        files = [listing.files[i] for i in keep]
        if request.image_size is None:
            _same_size_or_fail(listing.root, files, [im.shape[:2] for im in images])
        if request.channels is None:  # grayscale files join RGB ones as RGB
            channels = max(im.shape[-1] for im in images)
            images = [
                convert_channels(im[None], channels, str(f))[0]
                for im, f in zip(images, files, strict=True)
            ]
        labels = None
        if request.with_labels and listing.labels is not None:
            labels = listing.labels[keep]
        return np.stack(images), labels

    def info(self, split: str = "train") -> DatasetInfo:
        listing = list_image_folder(self.root, split)
        width, height, mode = read_image_header(listing.files[0])
        return DatasetInfo(
            (height, width, natural_channels(mode)),
            len(listing.class_names),
            len(listing.files),
        )

    # -- streaming, for folders too big to hold in memory -----------------
    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        listing = self.listing(request)
        files, labels = listing.files, listing.labels
        headers, bad = [], []
        for path in files:  # cheap: reads headers only
            try:
                headers.append(read_image_header(path))
            except BadImageError as exc:
                if not request.skip_bad_images:
                    raise
                bad.append((path, exc.reason))
                headers.append(None)
        if bad:
            warn_skipped(listing.root, bad)
            keep = [i for i, h in enumerate(headers) if h is not None]
            files, headers = [files[i] for i in keep], [headers[i] for i in keep]
            labels = None if labels is None else labels[keep]
        if not files:
            raise DataError(
                f"every image in {listing.root} is unreadable; see the warning above"
            )
        if request.image_size is None:
            _same_size_or_fail(listing.root, files, [(h[1], h[0]) for h in headers])
            height, width = headers[0][1], headers[0][0]
        else:
            height = width = request.image_size
        channels = request.channels or max(natural_channels(h[2]) for h in headers)
        if cache and len(files) * height * width * channels <= cache_budget_bytes():
            return None  # fits: the pipeline reads it into memory with read()
        return _stream(files, labels, (height, width, channels), request)


def _stream(
    files: list[Path],
    labels: np.ndarray | None,
    shape: tuple[int, int, int],
    request: LoadRequest,
):
    """Decode files inside tf.data (Pillow in parallel map calls), no cache."""
    import tensorflow as tf

    height, width, channels = shape

    def decode(path: bytes) -> tuple[np.ndarray, np.bool_]:
        try:
            image = read_image(
                path.decode(), image_size=request.image_size, channels=channels
            )
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
        image, ok = tf.numpy_function(
            decode, [path], [tf.uint8, tf.bool], stateful=False
        )
        image.set_shape(shape)
        return image, label, ok

    label_values = labels if labels is not None else np.full(len(files), -1, np.int32)
    ds = tf.data.Dataset.from_tensor_slices(([str(f) for f in files], label_values))
    ds = ds.map(load_one, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.filter(lambda image, label, ok: ok)
    return ds.map(lambda image, label, ok: (image, label))

"""The feature-extractor protocol, a base class for Keras-model extractors, and calling one.

A feature extractor is any object with these attributes and methods (a
plugin registers a factory ``fn(**kwargs) -> extractor`` through the
``register_feature_extractors`` hook):

- ``name: str`` — the registry name, recorded with every score;
- ``weights_hash: str`` — SHA-256 of the weights file (or another stable
  identifier of the weights), recorded and used as a cache key;
- ``resize_method: str`` and ``input_size: tuple[int, int]`` — how images
  are resized before the network sees them;
- ``feature_dim: int``;
- ``features(images) -> np.ndarray`` of shape ``(B, feature_dim)``, where
  ``images`` is NHWC uint8 in ``[0, 255]`` or float in ``[-1, 1]``;
- optional ``logits(images) -> (B, num_classes)`` (for IS and class
  accuracy); extractors without class outputs set ``has_logits = False``;
- optional ``features_and_logits(images)`` computing both in one pass.

Also here, for the extractors that are Keras models: their base class (one
chunked batching loop), weights hashes, the cache directory, and cheap
construction of networks whose weights are about to be replaced — building
InceptionV3 on JAX compiles one random-number program per distinct kernel
shape (about 45 s on a CPU) only for the values to be overwritten by
``load_weights``; building under :func:`zero_initialized` skips that, and
:func:`randomize_weights` gives seeded random weights from NumPy instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import keras
import numpy as np

from ganzoo.errors import ExtractorCapabilityError, MetricsError
from ganzoo.metrics.extractors.preprocessing import RESIZE_METHOD, prepare

# What both Inception-v3 extractors (inception_v3, fid_inception) feed their
# network: 299x299 RGB, pixels in [0, 255] mapped to [-1, 1].
INCEPTION_INPUT: dict[str, Any] = {"input_size": (299, 299), "channels": 3,
                                   "input_scale": 1.0 / 127.5, "input_offset": -1.0}


_RANDOM_INITIALIZERS = (
    "glorot_uniform",
    "GlorotUniform",
    "glorot_normal",
    "GlorotNormal",
    "he_normal",
    "HeNormal",
    "he_uniform",
    "HeUniform",
)


@contextlib.contextmanager
def zero_initialized() -> Iterator[None]:
    """Within this block, layers asking for a random initializer by name get zeros."""
    with keras.saving.custom_object_scope(
        {name: keras.initializers.Zeros for name in _RANDOM_INITIALIZERS}
    ):
        yield


def randomize_weights(model: keras.Model, seed: int = 0) -> None:
    """Glorot-uniform kernels from ``numpy.random`` (seeded); other weights kept."""
    rng = np.random.default_rng(seed)
    for w in model.trainable_weights:
        shape = tuple(w.shape)
        if len(shape) < 2:
            continue
        receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        w.assign(rng.uniform(-limit, limit, size=shape).astype(w.dtype))


def cache_dir(kind: str) -> Path:
    """``$GANZOO_CACHE_DIR/<kind>``, by default ``~/.cache/ganzoo/<kind>``."""
    root = os.environ.get("GANZOO_CACHE_DIR") or Path.home() / ".cache" / "ganzoo"
    return Path(root).expanduser() / kind


@runtime_checkable
class FeatureExtractor(Protocol):
    """What the evaluator needs from a feature extractor (see module docstring)."""

    name: str
    weights_hash: str
    resize_method: str
    input_size: tuple[int, int]
    feature_dim: int

    def features(self, images: object) -> np.ndarray: ...


def file_sha256(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def weights_sha256(model: keras.Model) -> str:
    """Hex SHA-256 of a model's weight values (for weights that have no file)."""
    digest = hashlib.sha256()
    for w in model.weights:
        digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(w)).tobytes())
    return digest.hexdigest()


class KerasFeatureExtractor:
    """Runs a Keras model whose outputs are ``[features]`` or ``[features, logits]``.

    Images are fed to the model in fixed-size chunks (the last one
    zero-padded, so a compiled model is traced once per chunk size), each
    prepared on the host by :meth:`prepare` (channels, ``[0, 255]`` float,
    bicubic antialiased resize, then scaled by ``input_scale`` and
    ``input_offset``); a subclass that prepares differently overrides
    :meth:`prepare` only.
    """

    resize_method = RESIZE_METHOD

    def __init__(
        self,
        model: keras.Model,
        *,
        name: str,
        weights_hash: str,
        input_size: tuple[int, int],
        channels: int,
        input_scale: float = 1.0,
        input_offset: float = 0.0,
        batch_size: int = 64,
    ):
        self.model = model
        self.name = name
        self.weights_hash = weights_hash
        self.input_size = (int(input_size[0]), int(input_size[1]))
        self.channels = int(channels)
        self.input_scale = float(input_scale)
        self.input_offset = float(input_offset)
        self.batch_size = int(batch_size)
        outputs = model.outputs
        self.has_logits = len(outputs) > 1
        self.feature_dim = int(outputs[0].shape[-1])
        self.num_classes = int(outputs[1].shape[-1]) if self.has_logits else None
        self.batches_seen = 0  # calls to the network, for tests and diagnostics

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, "
            f"weights_hash={self.weights_hash[:12]!r}, input_size={self.input_size})"
        )

    def prepare(self, images: object) -> np.ndarray:
        """Network input for a batch: channels, ``[0, 255]`` floats, resized, scaled."""
        x = prepare(images, self.input_size, self.channels)
        return x * np.float32(self.input_scale) + np.float32(self.input_offset)

    def _run(self, images: object) -> tuple[np.ndarray, np.ndarray | None]:
        # Prepared chunk by chunk: a 299x299 float copy of a whole evaluation
        # batch would be the largest allocation of an evaluation.
        images = images if hasattr(images, "shape") else np.asarray(images)
        n = len(images)
        chunk = max(1, min(self.batch_size, n))
        feats, logits = [], []
        for start in range(0, n, chunk):
            part = self.prepare(images[start : start + chunk])
            pad = chunk - part.shape[0]
            if pad:  # one traced shape for every call
                part = np.concatenate(
                    [part, np.zeros((pad, *part.shape[1:]), part.dtype)]
                )
            out = self.model.predict_on_batch(part)
            self.batches_seen += 1
            out = out if isinstance(out, list | tuple) else [out]
            feats.append(np.asarray(out[0], dtype=np.float32)[: chunk - pad])
            if self.has_logits:
                logits.append(np.asarray(out[1], dtype=np.float32)[: chunk - pad])
        if not feats:
            feats = [np.zeros((0, self.feature_dim), np.float32)]
            logits = [np.zeros((0, self.num_classes or 0), np.float32)]
        return np.concatenate(feats), (np.concatenate(logits) if self.has_logits else None)

    def features(self, images: object) -> np.ndarray:
        """``(B, feature_dim)`` float32 features of a batch of images."""
        return self._run(images)[0]

    def features_and_logits(
        self, images: object
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Features and (when the network has them) class logits, in one pass."""
        return self._run(images)

    def logits(self, images: object) -> np.ndarray:
        """``(B, num_classes)`` class logits; an error when the network has none."""
        if not self.has_logits:
            raise ExtractorCapabilityError(self._no_logits_message())
        return self._run(images)[1]

    def _no_logits_message(self) -> str:
        return f"feature extractor '{self.name}' has no class logits"


def has_logits(extractor: Any) -> bool:
    """Whether ``extractor`` can give class logits."""
    return bool(getattr(extractor, "has_logits", hasattr(extractor, "logits")))


def extract(
    extractor: Any, images: np.ndarray, *, want_logits: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Features and (when wanted and available) logits of one batch, checked."""
    if want_logits and has_logits(extractor):
        if hasattr(extractor, "features_and_logits"):
            feats, logits = extractor.features_and_logits(images)
        else:
            feats, logits = extractor.features(images), extractor.logits(images)
    else:
        feats, logits = extractor.features(images), None
    feats = np.asarray(feats, dtype=np.float32)
    n = len(images)
    if feats.ndim != 2 or feats.shape[0] != n:
        raise MetricsError(
            f"extractor '{extractor.name}' returned features of shape {feats.shape} "
            f"for {n} images; it must return (num_images, feature_dim)"
        )
    if logits is not None:
        logits = np.asarray(logits, dtype=np.float32)
    return feats, logits

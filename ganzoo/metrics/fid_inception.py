"""The ``fid_inception`` extractor: the network and weights papers' FIDs use.

2048-d pool features (and 1008 logits) of the TF Inception graph of
2015-12-05 (:mod:`ganzoo.metrics.fid_inception_net`), loaded from
pytorch-fid's weights file (:mod:`ganzoo.metrics.fid_inception_weights`),
after one of the two resizings published numbers use
(:mod:`ganzoo.metrics.fid_resize`): ``clean`` (default) or ``legacy``.
Grayscale images are repeated to RGB; pixels in ``[0, 255]`` are mapped
to ``[-1, 1]``, as pytorch-fid maps ``[0, 1]``.

Use::

    ganzoo eval --run R --extractor fid_inception --weights pt_inception-2015-12-05-6726825d.pth
    evaluate(..., extractor="fid_inception",
             extractor_kwargs={"weights": PATH, "preprocessing": "legacy"})
"""

from __future__ import annotations

import os

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.feature_extractor import (
    INCEPTION_INPUT,
    KerasFeatureExtractor,
    weights_sha256,
)
from ganzoo.metrics.fid_inception_net import build_fid_inception
from ganzoo.metrics.fid_inception_weights import (
    EXPECTED_SHA256,
    load_weights,
    resolve_weights_file,
)
from ganzoo.metrics.fid_resize import PREPROCESSINGS, resize_for_fid
from ganzoo.metrics.preprocessing import match_channels, to_float255
from ganzoo.metrics.weights_init import randomize_weights


class FIDInceptionExtractor(KerasFeatureExtractor):
    """The FID Inception (2048-d features, 1008 logits) with paper-matching resizing.

    Args:
        weights: pytorch-fid's ``.pth`` file; ``"download"`` to fetch it
            (online only); ``None`` for the copy in the cache
            (``$GANZOO_CACHE_DIR/fid_inception``); ``"random"`` for seeded
            random weights (benchmarks only: the scores mean nothing).
        preprocessing: ``"clean"`` (clean-fid's PIL bicubic on floats) or
            ``"legacy"`` (pytorch-fid's bilinear).
        expected_sha256: required prefix of the file's SHA-256; ``None``
            accepts any file (tests, other weights: not comparable with papers).
        batch_size: images resized and run per network call (bounds memory).
        seed: seed of ``weights="random"``.
    """

    def __init__(
        self,
        weights: str | os.PathLike[str] | None = None,
        *,
        preprocessing: str = "clean",
        expected_sha256: str | None = EXPECTED_SHA256,
        batch_size: int = 50,
        seed: int = 0,
    ):
        if preprocessing not in PREPROCESSINGS:
            raise MetricsError(
                f"unknown FID preprocessing '{preprocessing}'; choose from "
                f"{', '.join(PREPROCESSINGS)}"
            )
        model = build_fid_inception()
        self.weights_path = None
        self.weights_cache_hit = None
        if weights == "random":
            randomize_weights(model, seed)
            weights_hash = "random:" + weights_sha256(model)
        else:
            path = resolve_weights_file(weights)
            weights_hash, self.weights_cache_hit = load_weights(
                model, path, expected_sha256
            )
            self.weights_path = str(path)
        super().__init__(model, name="fid_inception", weights_hash=weights_hash,
                         batch_size=batch_size, **INCEPTION_INPUT)
        self.preprocessing = preprocessing
        self.resize_method = preprocessing  # recorded in provenance and cache keys

    def prepare(self, images: object) -> np.ndarray:
        """Network input for a batch: RGB, resized as chosen, scaled to ``[-1, 1]``."""
        x = match_channels(to_float255(images), 3)
        x = resize_for_fid(x, self.input_size, self.preprocessing)
        return x * np.float32(self.input_scale) + np.float32(self.input_offset)

    def _run(self, images: object) -> tuple[np.ndarray, np.ndarray]:
        # Resize chunk by chunk: a 299x299 float copy of a whole evaluation
        # batch would be the largest allocation of an evaluation.
        arr = np.asarray(images) if not hasattr(images, "shape") else images
        n = len(arr)
        chunk = max(1, min(self.batch_size, n))
        feats, logits = [], []
        for start in range(0, n, chunk):
            part = self.prepare(arr[start : start + chunk])
            pad = chunk - part.shape[0]
            if pad:  # one traced shape for every call
                part = np.concatenate(
                    [part, np.zeros((pad, *part.shape[1:]), part.dtype)]
                )
            pool, logit = self.model.predict_on_batch(part)
            self.batches_seen += 1
            feats.append(np.asarray(pool, np.float32)[: chunk - pad])
            logits.append(np.asarray(logit, np.float32)[: chunk - pad])
        if not feats:
            return (
                np.zeros((0, self.feature_dim), np.float32),
                np.zeros((0, self.num_classes), np.float32),
            )
        return np.concatenate(feats), np.concatenate(logits)

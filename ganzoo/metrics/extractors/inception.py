"""The ``inception_v3`` extractor: Keras' InceptionV3, 2048-d pool features.

Images are resized to 299×299 (bicubic, antialiased), grayscale repeated to
RGB, and scaled to ``[-1, 1]`` as InceptionV3 expects. Weights come from an
explicit file (``weights=PATH``: a Keras ``.h5`` / ``.weights.h5`` file) or
from the Keras cache (``$KERAS_HOME/models``, by default ``~/.keras/models``),
where ``keras.applications`` keeps its ImageNet downloads. ganzoo never
downloads them. ``weights="random"`` gives a randomly initialised network
(for benchmarks and tests only: its scores mean nothing).

Caveat: Keras' ImageNet weights are not the TF-2015 Inception graph that
papers' FID/IS numbers come from (pytorch-fid / clean-fid ship that graph's
weights), so scores here are comparable with each other, not with papers.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras

from ganzoo.errors import WeightsNotFoundError
from ganzoo.metrics.extractors.feature_extractor import (
    INCEPTION_INPUT,
    KerasFeatureExtractor,
    file_sha256,
    randomize_weights,
    weights_sha256,
    zero_initialized,
)

INPUT_SIZE = INCEPTION_INPUT["input_size"]
NOTOP_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
TOP_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"


def keras_cache_dir() -> Path:
    """Where ``keras.applications`` caches downloaded weights."""
    home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    return Path(home) / "models"


def weights_file_has_top(path: str | os.PathLike[str]) -> bool:
    """Whether a weights file holds the classifier top (the only 2-D kernel).

    Works for legacy ``.h5`` files (grouped by layer name) and Keras 3
    ``.weights.h5`` files (grouped by layer class): without the top,
    InceptionV3 has only 4-D conv kernels and 1-D batch-norm variables.
    """
    import h5py

    found = False

    def visit(_name: str, obj: object) -> bool | None:
        nonlocal found
        if isinstance(obj, h5py.Dataset) and obj.ndim == 2:
            found = True
            return True
        return None

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def resolve_weights(
    weights: str | os.PathLike[str] | None, include_top: bool | None
) -> Path:
    """The weights file to load, or a :class:`WeightsNotFoundError` saying how to fix it."""
    if weights not in (None, "imagenet"):
        path = Path(weights).expanduser()
        if not path.is_file():
            raise WeightsNotFoundError(
                f"inception_v3 weights file '{path}' does not exist; pass weights=PATH "
                "to an existing Keras .h5 or .weights.h5 file"
            )
        return path
    cache = keras_cache_dir()
    names = {True: [TOP_FILE], False: [NOTOP_FILE], None: [TOP_FILE, NOTOP_FILE]}
    for name in names[include_top]:
        if (cache / name).is_file():
            return cache / name
    wanted = TOP_FILE if include_top else NOTOP_FILE
    raise WeightsNotFoundError(
        f"inception_v3 ImageNet weights are not in the Keras cache ({cache / wanted}) "
        "and cannot be downloaded on this machine; copy that file there or pass "
        "weights=PATH to a local InceptionV3 .h5/.weights.h5 file"
    )


def build_inception(include_top: bool) -> keras.Model:
    """InceptionV3 with outputs ``[pool features]`` or ``[pool features, logits]``.

    Kernels start at zero (see ``zero_initialized``): the caller loads or
    randomizes them.
    """
    with zero_initialized():
        return _build_inception(include_top)


def _build_inception(include_top: bool) -> keras.Model:
    if include_top:
        net = keras.applications.InceptionV3(
            include_top=True,
            weights=None,
            input_shape=(*INPUT_SIZE, 3),
            classifier_activation=None,
        )
        pool = net.get_layer("avg_pool").output
        return keras.Model(net.inputs, [pool, net.output], name="inception_v3_features")
    net = keras.applications.InceptionV3(
        include_top=False, weights=None, input_shape=(*INPUT_SIZE, 3), pooling="avg"
    )
    return keras.Model(net.inputs, [net.output], name="inception_v3_features")


class InceptionV3Extractor(KerasFeatureExtractor):
    """2048-d InceptionV3 pool features; logits too when the weights have a top.

    Args:
        weights: a local weights file, ``None``/``"imagenet"`` for the Keras
            cache, or ``"random"`` (benchmarks and tests only).
        include_top: load the 1000-way classifier (needed for IS); ``None``
            means "if the weights have it".
        batch_size: images per network call.
        seed: initialisation seed for ``weights="random"``.
    """

    def __init__(
        self,
        weights: str | os.PathLike[str] | None = None,
        *,
        include_top: bool | None = None,
        batch_size: int = 64,
        seed: int = 0,
    ):
        if weights == "random":
            model = build_inception(bool(include_top))
            randomize_weights(model, seed)
            weights_hash = "random:" + weights_sha256(model)
            self.weights_path = None
        else:
            path = resolve_weights(weights, include_top)
            has_top = weights_file_has_top(path)
            if include_top and not has_top:
                raise WeightsNotFoundError(
                    f"inception_v3 weights file '{path}' has no classifier top; pass "
                    "include_top weights (e.g. keras' "
                    f"{TOP_FILE}) or include_top=False"
                )
            model = build_inception(has_top)
            model.load_weights(path)
            if has_top and include_top is False:
                model = keras.Model(model.inputs, model.outputs[:1], name=model.name)
            weights_hash = file_sha256(path)
            self.weights_path = str(path)
        super().__init__(model, name="inception_v3", weights_hash=weights_hash,
                         batch_size=batch_size, **INCEPTION_INPUT)

    def _no_logits_message(self) -> str:
        return (
            "inception_v3 logits need weights with the classifier top (keras' "
            f"{TOP_FILE}); these weights have none"
        )

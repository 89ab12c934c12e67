"""The ``fid_inception`` extractor: the network and weights papers' FIDs use.

2048-d pool features (and 1008 logits) of the TF Inception graph of
2015-12-05, built here in Keras layers, loaded from pytorch-fid's weights
file (:mod:`ganzoo.metrics.extractors.fid_inception_weights`), after one of
the two resizings published numbers use
(:mod:`ganzoo.metrics.extractors.preprocessing`): ``pil_bicubic`` (default;
clean-fid's) or ``torch_bilinear`` (pytorch-fid's). Grayscale images are
repeated to RGB; pixels in ``[0, 255]`` are mapped to ``[-1, 1]``, as
pytorch-fid maps ``[0, 1]``.

The network is the one every published FID comes from, as pytorch-fid ports
it: torchvision's Inception v3 with four differences, all reproduced here:

- the 3x3 average pooling inside the A, C and E blocks does not count the
  zero padding (TensorFlow's ``SAME`` average pooling; Keras'
  ``AveragePooling2D(padding="same")`` does the same on every backend);
- the last E block (``Mixed_7c``) pools its side branch with a 3x3 *max*
  pooling instead of an average;
- the classifier has 1008 outputs (the 2015 graph's label map);
- no auxiliary classifier.

Every convolution is "conv (no bias) -> batch norm (eps 1e-3) -> ReLU".
Layers are named after pytorch-fid's state-dict keys (``Mixed_5b.branch1x1``
gives layers ``Mixed_5b.branch1x1.conv`` and ``Mixed_5b.branch1x1.bn``), so
the weights module maps a ``.pth`` onto them by name.

Use::

    ganzoo eval --run R --extractor fid_inception --weights pt_inception-2015-12-05-6726825d.pth
    evaluate(..., extractor="fid_inception",
             extractor_kwargs={"weights": PATH, "resize": "torch_bilinear"})
"""

from __future__ import annotations

import os
import warnings

import keras
import numpy as np
from keras import layers

from ganzoo.metrics.extractors.feature_extractor import (
    INCEPTION_INPUT,
    KerasFeatureExtractor,
    randomize_weights,
    weights_sha256,
)
from ganzoo.metrics.extractors.fid_inception_weights import (
    EXPECTED_SHA256,
    load_weights,
    resolve_weights_file,
)
from ganzoo.metrics.extractors.preprocessing import (
    fid_resize_name,
    match_channels,
    resize_for_fid,
    to_float255,
)

INPUT_SIZE = (299, 299)
FEATURE_DIM = 2048
NUM_CLASSES = 1008
BN_EPSILON = 1e-3


def conv_bn(x, name: str, filters: int, kernel, strides=1, padding="valid"):
    """pytorch-fid's ``BasicConv2d``: conv (no bias), batch norm, ReLU.

    Every padded convolution in the network has stride 1 and odd kernel
    sides padded by ``(k - 1) / 2``, which is Keras' ``"same"``.
    """
    x = layers.Conv2D(
        filters,
        kernel,
        strides=strides,
        padding=padding,
        use_bias=False,
        kernel_initializer="zeros",  # replaced by the converted weights
        name=f"{name}.conv",
    )(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}.bn")(x)
    return layers.ReLU(name=f"{name}.relu")(x)


def _avg_pool(x, name: str):
    # TF-style: the average over the window's valid pixels only
    # (count_include_pad=False in pytorch-fid's patched blocks).
    return layers.AveragePooling2D(3, strides=1, padding="same", name=name)(x)


def block_a(x, name: str, pool_features: int):
    """InceptionA (Mixed_5b/c/d) with padding-free average pooling."""
    b1 = conv_bn(x, f"{name}.branch1x1", 64, 1)
    b5 = conv_bn(x, f"{name}.branch5x5_1", 48, 1)
    b5 = conv_bn(b5, f"{name}.branch5x5_2", 64, 5, padding="same")
    b3 = conv_bn(x, f"{name}.branch3x3dbl_1", 64, 1)
    b3 = conv_bn(b3, f"{name}.branch3x3dbl_2", 96, 3, padding="same")
    b3 = conv_bn(b3, f"{name}.branch3x3dbl_3", 96, 3, padding="same")
    bp = _avg_pool(x, f"{name}.avg_pool")
    bp = conv_bn(bp, f"{name}.branch_pool", pool_features, 1)
    return layers.Concatenate(name=name)([b1, b5, b3, bp])


def block_b(x, name: str):
    """InceptionB (Mixed_6a): the 35 -> 17 grid reduction."""
    b3 = conv_bn(x, f"{name}.branch3x3", 384, 3, strides=2)
    bd = conv_bn(x, f"{name}.branch3x3dbl_1", 64, 1)
    bd = conv_bn(bd, f"{name}.branch3x3dbl_2", 96, 3, padding="same")
    bd = conv_bn(bd, f"{name}.branch3x3dbl_3", 96, 3, strides=2)
    bp = layers.MaxPooling2D(3, strides=2, name=f"{name}.max_pool")(x)
    return layers.Concatenate(name=name)([b3, bd, bp])


def block_c(x, name: str, c7: int):
    """InceptionC (Mixed_6b..e): factorised 7x7, padding-free average pooling."""
    b1 = conv_bn(x, f"{name}.branch1x1", 192, 1)
    b7 = conv_bn(x, f"{name}.branch7x7_1", c7, 1)
    b7 = conv_bn(b7, f"{name}.branch7x7_2", c7, (1, 7), padding="same")
    b7 = conv_bn(b7, f"{name}.branch7x7_3", 192, (7, 1), padding="same")
    bd = conv_bn(x, f"{name}.branch7x7dbl_1", c7, 1)
    bd = conv_bn(bd, f"{name}.branch7x7dbl_2", c7, (7, 1), padding="same")
    bd = conv_bn(bd, f"{name}.branch7x7dbl_3", c7, (1, 7), padding="same")
    bd = conv_bn(bd, f"{name}.branch7x7dbl_4", c7, (7, 1), padding="same")
    bd = conv_bn(bd, f"{name}.branch7x7dbl_5", 192, (1, 7), padding="same")
    bp = _avg_pool(x, f"{name}.avg_pool")
    bp = conv_bn(bp, f"{name}.branch_pool", 192, 1)
    return layers.Concatenate(name=name)([b1, b7, bd, bp])


def block_d(x, name: str):
    """InceptionD (Mixed_7a): the 17 -> 8 grid reduction."""
    b3 = conv_bn(x, f"{name}.branch3x3_1", 192, 1)
    b3 = conv_bn(b3, f"{name}.branch3x3_2", 320, 3, strides=2)
    b7 = conv_bn(x, f"{name}.branch7x7x3_1", 192, 1)
    b7 = conv_bn(b7, f"{name}.branch7x7x3_2", 192, (1, 7), padding="same")
    b7 = conv_bn(b7, f"{name}.branch7x7x3_3", 192, (7, 1), padding="same")
    b7 = conv_bn(b7, f"{name}.branch7x7x3_4", 192, 3, strides=2)
    bp = layers.MaxPooling2D(3, strides=2, name=f"{name}.max_pool")(x)
    return layers.Concatenate(name=name)([b3, b7, bp])


def block_e(x, name: str, max_pool: bool):
    """InceptionE (Mixed_7b/c); ``max_pool``: the 2015 graph's Mixed_7c quirk."""
    b1 = conv_bn(x, f"{name}.branch1x1", 320, 1)
    b3 = conv_bn(x, f"{name}.branch3x3_1", 384, 1)
    b3 = layers.Concatenate(name=f"{name}.branch3x3")(
        [
            conv_bn(b3, f"{name}.branch3x3_2a", 384, (1, 3), padding="same"),
            conv_bn(b3, f"{name}.branch3x3_2b", 384, (3, 1), padding="same"),
        ]
    )
    bd = conv_bn(x, f"{name}.branch3x3dbl_1", 448, 1)
    bd = conv_bn(bd, f"{name}.branch3x3dbl_2", 384, 3, padding="same")
    bd = layers.Concatenate(name=f"{name}.branch3x3dbl")(
        [
            conv_bn(bd, f"{name}.branch3x3dbl_3a", 384, (1, 3), padding="same"),
            conv_bn(bd, f"{name}.branch3x3dbl_3b", 384, (3, 1), padding="same"),
        ]
    )
    if max_pool:
        bp = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}.max_pool")(
            x
        )
    else:
        bp = _avg_pool(x, f"{name}.avg_pool")
    bp = conv_bn(bp, f"{name}.branch_pool", 192, 1)
    return layers.Concatenate(name=name)([b1, b3, bd, bp])


def build_fid_inception() -> keras.Model:
    """The FID Inception: ``[-1, 1]`` 299x299 RGB -> ``[pool (B, 2048), logits (B, 1008)]``.

    Weights start at zero (conv kernels) and identity (batch norm); load
    real ones with :func:`ganzoo.metrics.extractors.fid_inception_weights.load_weights`.
    """
    inputs = keras.Input((*INPUT_SIZE, 3), name="images")
    x = conv_bn(inputs, "Conv2d_1a_3x3", 32, 3, strides=2)
    x = conv_bn(x, "Conv2d_2a_3x3", 32, 3)
    x = conv_bn(x, "Conv2d_2b_3x3", 64, 3, padding="same")
    x = layers.MaxPooling2D(3, strides=2, name="maxpool1")(x)
    x = conv_bn(x, "Conv2d_3b_1x1", 80, 1)
    x = conv_bn(x, "Conv2d_4a_3x3", 192, 3)
    x = layers.MaxPooling2D(3, strides=2, name="maxpool2")(x)
    x = block_a(x, "Mixed_5b", 32)
    x = block_a(x, "Mixed_5c", 64)
    x = block_a(x, "Mixed_5d", 64)
    x = block_b(x, "Mixed_6a")
    for name, c7 in (
        ("Mixed_6b", 128),
        ("Mixed_6c", 160),
        ("Mixed_6d", 160),
        ("Mixed_6e", 192),
    ):
        x = block_c(x, name, c7)
    x = block_d(x, "Mixed_7a")
    x = block_e(x, "Mixed_7b", max_pool=False)
    x = block_e(x, "Mixed_7c", max_pool=True)
    pool = layers.GlobalAveragePooling2D(name="pool")(x)
    logits = layers.Dense(NUM_CLASSES, kernel_initializer="zeros", name="fc")(pool)
    return keras.Model(inputs, [pool, logits], name="fid_inception")


class FIDInceptionExtractor(KerasFeatureExtractor):
    """The FID Inception (2048-d features, 1008 logits) with paper-matching resizing.

    Args:
        weights: pytorch-fid's ``.pth`` file; ``"download"`` to fetch it
            (online only); ``None`` for the copy in the cache
            (``$GANZOO_CACHE_DIR/fid_inception``); ``"random"`` for seeded
            random weights (benchmarks only: the scores mean nothing).
        resize: ``"pil_bicubic"`` (clean-fid's PIL bicubic on floats) or
            ``"torch_bilinear"`` (pytorch-fid's); the old names ``"clean"``
            and ``"legacy"`` are accepted.
        expected_sha256: required prefix of the file's SHA-256; ``None``
            accepts any file (tests, other weights: not comparable with papers).
        batch_size: images resized and run per network call (bounds memory).
        seed: seed of ``weights="random"``.
        preprocessing: the old name of ``resize`` (deprecated).
    """

    def __init__(
        self,
        weights: str | os.PathLike[str] | None = None,
        *,
        resize: str = "pil_bicubic",
        expected_sha256: str | None = EXPECTED_SHA256,
        batch_size: int = 50,
        seed: int = 0,
        preprocessing: str | None = None,
    ):
        if preprocessing is not None:
            warnings.warn("fid_inception's 'preprocessing' is now called 'resize'",
                          DeprecationWarning, stacklevel=2)
            resize = preprocessing
        resize = fid_resize_name(resize)
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
        self.resize_method = resize  # recorded in provenance and cache keys

    def prepare(self, images: object) -> np.ndarray:
        """Network input for a batch: RGB, resized as chosen, scaled to ``[-1, 1]``."""
        x = match_channels(to_float255(images), 3)
        x = resize_for_fid(x, self.input_size, self.resize_method)
        return x * np.float32(self.input_scale) + np.float32(self.input_offset)

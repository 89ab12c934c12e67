"""ProGAN's per-level blocks (Karras et al. 2018, Table 2) and the resampling they use.

Every conv and dense layer uses the equalized learning rate; every generator
conv is followed by leaky ReLU 0.2 and pixelwise feature normalization;
the discriminator's last block starts with the minibatch standard deviation
(NVIDIA's by default; ``STDDEV_VARIANTS`` lists the others).
"""

from __future__ import annotations

import math

import keras
from keras import ops

from ganzoo.layers import (
    EqualizedConv2D,
    EqualizedDense,
    MinibatchStdDev,
    PixelNormalization,
)
from ganzoo_progan.config import STDDEV_VARIANTS

SLOPE = 0.2


# -- resampling (channels last) and the fade-in blend ----------------------------
def upscale2d(x, factor: int = 2):
    """Repeat every pixel ``factor`` times along height and width."""
    return ops.repeat(ops.repeat(x, factor, axis=1), factor, axis=2)


def downscale2d(x, factor: int = 2):
    """Average ``factor x factor`` pixel blocks."""
    _, height, width, channels = x.shape
    x = ops.reshape(
        x, (-1, height // factor, factor, width // factor, factor, channels)
    )
    return ops.mean(x, axis=(2, 4))


def lerp(a, b, t):
    """``a + t * (b - a)``: exactly ``a`` at ``t = 0`` and ``b`` at ``t = 1``."""
    t = ops.cast(t, a.dtype)
    return a + t * (b - a)


def _lrelu(x):
    return ops.leaky_relu(x, negative_slope=SLOPE)


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class ConsecutiveStdDev(keras.layers.Layer):
    """Minibatch standard deviation the way pytorch_GAN_zoo's PGAN computes it.

    Three departures from NVIDIA's (``ganzoo.layers.MinibatchStdDev``): a
    group is ``group_size`` *consecutive* samples (sample ``n`` is in group
    ``n // group_size``); the variance is the unbiased one (divided by the
    group size minus one); a batch that ``min(group_size, batch)`` does not
    divide is one group, and a group of one gets a zero feature map.
    ``(B, H, W, C) -> (B, H, W, C + 1)``, channels last.
    """

    def __init__(self, group_size: int = 4, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def _group(self, batch):
        if isinstance(batch, int):
            group = min(batch, self.group_size)
            return group if batch % group == 0 else batch
        batch = ops.cast(batch, "int32")
        group = ops.minimum(batch, self.group_size)
        return ops.where(ops.equal(ops.mod(batch, group), 0), group, batch)

    def call(self, inputs):
        _, height, width, channels = inputs.shape
        group = self._group(ops.shape(inputs)[0])
        x = ops.reshape(ops.cast(inputs, "float32"), (-1, group, height, width, channels))
        n = ops.cast(group, "float32")
        squares = ops.sum(ops.square(x - ops.mean(x, axis=1, keepdims=True)), axis=1)
        variance = squares / ops.maximum(n - 1.0, 1.0)
        stddev = ops.mean(ops.sqrt(variance + self.epsilon), axis=(1, 2, 3))
        stddev = ops.where(n > 1.0, stddev, 0.0)  # (B // group,)
        feature = ops.zeros_like(x[..., :1]) + ops.reshape(stddev, (-1, 1, 1, 1, 1))
        feature = ops.reshape(feature, (-1, height, width, 1))
        return ops.concatenate([inputs, ops.cast(feature, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size,
                "epsilon": self.epsilon}


def stddev_layer(variant: str, group_size: int, dtype):
    """The minibatch stddev layer of ``variant`` (one of ``STDDEV_VARIANTS``); None if off."""
    if variant == "nvidia":
        return MinibatchStdDev(group_size, dtype=dtype)
    if variant == "pytorch-gan-zoo":
        return ConsecutiveStdDev(group_size, dtype=dtype)
    if variant == "off":
        return None
    raise ValueError(f"minibatch stddev {variant!r}: use one of {', '.join(STDDEV_VARIANTS)}")


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class GeneratorBlock(keras.layers.Layer):
    """One generator level: z -> 4x4 (``first``) or 2x up-sampling, then convs.

    First block: dense to 4x4 x filters (gain sqrt(2)/4, as in the official
    code), then a 3x3 conv. Other blocks: nearest 2x up-sampling, two 3x3 convs.
    """

    def __init__(self, filters: int, first: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.first = first
        self.norm = PixelNormalization(dtype=self.dtype_policy)
        if first:
            self.dense = EqualizedDense(
                16 * filters,
                gain=math.sqrt(2) / 4,
                dtype=self.dtype_policy,
                name="dense",
            )
            self.convs = [self._conv("conv")]
        else:
            self.convs = [self._conv("conv0"), self._conv("conv1")]

    def _conv(self, name):
        return EqualizedConv2D(
            self.filters, 3, padding="same", dtype=self.dtype_policy, name=name
        )

    def build(self, input_shape):
        if self.first:
            self.dense.build(input_shape)
            shape = (input_shape[0], 4, 4, self.filters)
        else:
            shape = (
                input_shape[0],
                2 * input_shape[1],
                2 * input_shape[2],
                input_shape[3],
            )
        for conv in self.convs:
            conv.build(shape)
            shape = (*shape[:3], self.filters)
        self.norm.build(shape)

    def call(self, x):
        if self.first:
            x = ops.reshape(self.dense(x), (-1, 4, 4, self.filters))
            x = self.norm(_lrelu(x))
        else:
            x = upscale2d(x)
        for conv in self.convs:
            x = self.norm(_lrelu(conv(x)))
        return x

    def compute_output_shape(self, input_shape):
        if self.first:
            return (input_shape[0], 4, 4, self.filters)
        return (input_shape[0], 2 * input_shape[1], 2 * input_shape[2], self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "first": self.first}


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class DiscriminatorBlock(keras.layers.Layer):
    """One discriminator level: two 3x3 convs and 2x average down-sampling.

    The last block (``last=True``, at 4x4) is minibatch stddev (``stddev``:
    one of ``STDDEV_VARIANTS``), a 3x3 conv, a dense layer of ``out_filters``
    units and a linear dense output (gain 1).
    """

    def __init__(
        self,
        filters: int,
        out_filters: int,
        last: bool = False,
        group_size: int = 4,
        stddev: str = "nvidia",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = filters
        self.out_filters = out_filters
        self.last = last
        self.group_size = group_size
        self.stddev_variant = stddev
        policy = self.dtype_policy
        if last:
            self.stddev = stddev_layer(stddev, group_size, policy)
            self.conv0 = EqualizedConv2D(
                filters, 3, padding="same", dtype=policy, name="conv"
            )
            self.dense0 = EqualizedDense(out_filters, dtype=policy, name="dense0")
            self.dense1 = EqualizedDense(1, gain=1.0, dtype=policy, name="dense1")
        else:
            self.conv0 = EqualizedConv2D(
                filters, 3, padding="same", dtype=policy, name="conv0"
            )
            self.conv1 = EqualizedConv2D(
                out_filters, 3, padding="same", dtype=policy, name="conv1"
            )

    def build(self, input_shape):
        batch, height, width, channels = input_shape
        if self.last:
            if self.stddev is not None:
                self.stddev.build(input_shape)
                channels += 1
            self.conv0.build((batch, height, width, channels))
            self.dense0.build((batch, height * width * self.filters))
            self.dense1.build((batch, self.out_filters))
        else:
            self.conv0.build(input_shape)
            self.conv1.build((batch, height, width, self.filters))

    def call(self, x):
        if self.last:
            if self.stddev is not None:
                x = self.stddev(x)
            x = _lrelu(self.conv0(x))
            x = ops.reshape(x, (-1, x.shape[1] * x.shape[2] * x.shape[3]))
            return self.dense1(_lrelu(self.dense0(x)))
        x = _lrelu(self.conv0(x))
        x = _lrelu(self.conv1(x))
        return downscale2d(x)

    def compute_output_shape(self, input_shape):
        if self.last:
            return (input_shape[0], 1)
        return (
            input_shape[0],
            input_shape[1] // 2,
            input_shape[2] // 2,
            self.out_filters,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "out_filters": self.out_filters,
            "last": self.last,
            "group_size": self.group_size,
            "stddev": self.stddev_variant,
        }

"""Adaptive instance normalization (Huang & Belongie 2017; Karras et al. 2019, StyleGAN)."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers.equalized import EqualizedDense


@keras.saving.register_keras_serializable(package="ganzoo")
class AdaptiveInstanceNormalization(keras.layers.Layer):
    """AdaIN (Huang & Belongie 2017) as StyleGAN's style modulation.

    Inputs `[x (B, H, W, C), w (B, D)]`. Instance-normalizes `x` (per sample
    and channel over height and width, no affine) and applies the style
    `(scale, bias) = EqualizedDense(2C, gain=1)(w)` as
    `x_norm * (1 + scale) + bias` (Karras et al. 2019, StyleGAN's
    `style_mod`). Channels last.

    Args:
        epsilon: float, instance norm epsilon. Default 1e-8.
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        self.style = EqualizedDense(
            2 * x_shape[-1], gain=1.0, dtype=self.dtype_policy, name="style"
        )
        self.style.build(w_shape)

    def call(self, inputs):
        x, w = inputs
        xf = ops.cast(x, "float32")
        mean, variance = ops.moments(xf, axes=(1, 2), keepdims=True)
        normalized = ops.cast((xf - mean) * ops.rsqrt(variance + self.epsilon), x.dtype)
        scale, bias = ops.split(self.style(w), 2, axis=-1)
        return normalized * (1.0 + scale[:, None, None, :]) + bias[:, None, None, :]

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon})
        return config

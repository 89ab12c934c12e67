"""Pixelwise feature normalization (Karras et al. 2018, ProGAN)."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="ganzoo")
class PixelNormalization(keras.layers.Layer):
    """Pixelwise feature vector normalization (Karras et al. 2018, ProGAN §4.2).

    `x / sqrt(mean(x**2, axis) + epsilon)`: every pixel's feature vector gets
    unit root-mean-square. Computed in float32 under mixed precision.

    Args:
        epsilon: float, added under the square root. Default 1e-8.
        axis: int, the channel axis. Default -1 (channels last).
    """

    def __init__(self, epsilon=1e-8, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon
        self.axis = axis

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        mean_square = ops.mean(ops.square(x), axis=self.axis, keepdims=True)
        return ops.cast(x * ops.rsqrt(mean_square + self.epsilon), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon, "axis": self.axis})
        return config

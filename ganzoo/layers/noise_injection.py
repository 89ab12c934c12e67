"""Per-pixel noise injection (Karras et al. 2019, StyleGAN)."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="ganzoo")
class NoiseInjection(keras.layers.Layer):
    """Adds per-pixel noise scaled per channel (Karras et al. 2019, StyleGAN).

    `output = inputs + noise * scale`, where `noise` is one `(B, H, W, 1)` map
    broadcast over channels and `scale` a learned `(C,)` vector initialised
    to 0. `noise` can be given (`layer(x, noise=n)`, for fixed noise);
    otherwise it is drawn from N(0, 1) with the layer's
    `keras.random.SeedGenerator`, in training and inference alike, as
    StyleGAN does. Channels last.

    Args:
        seed: int or None, seed of the noise generator.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.scale = self.add_weight(
            name="scale", shape=(input_shape[-1],), initializer="zeros"
        )

    def call(self, inputs, noise=None):
        if noise is None:
            batch, height, width = ops.shape(inputs)[:3]
            noise = keras.random.normal(
                (batch, height, width, 1),
                dtype=inputs.dtype,
                seed=self.seed_generator,
            )
        return inputs + ops.cast(noise, inputs.dtype) * ops.cast(
            self.scale, inputs.dtype
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed})
        return config

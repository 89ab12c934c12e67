"""Hierarchical latents (Brock et al. 2019, Section 4 "Hierarchical latent spaces")
and the blocks of BigGAN's networks."""

from __future__ import annotations

from dataclasses import dataclass

import keras
from ganzoo_sagan.blocks import BN_EPSILON, BN_MOMENTUM, batch_norm, fresh_initializer

from ganzoo.layers import (
    ConditionalBatchNormalization,
    SelfAttention,
    SNConv2D,
    SNDense,
)


def latent_chunk_sizes(latent_dim: int, num_chunks: int) -> list[int]:
    """Sizes of the z chunks, as equal as possible and summing to ``latent_dim``.

    BigGAN-PyTorch instead rounds z down to a multiple of the number of
    chunks; here the first ``latent_dim % num_chunks`` chunks are one longer.
    """
    base, extra = divmod(latent_dim, num_chunks)
    return [base + (i < extra) for i in range(num_chunks)]


@keras.saving.register_keras_serializable(package="ganzoo_biggan")
class LatentSplit(keras.layers.Layer):
    """Splits z (B, sum(sizes)) into chunks (B, sizes[i]) along the last axis.

    Args:
        sizes: list of int, the chunk sizes.
    """

    def __init__(self, sizes, **kwargs):
        super().__init__(**kwargs)
        self.sizes = [int(s) for s in sizes]

    def call(self, inputs):
        chunks, start = [], 0
        for size in self.sizes:
            chunks.append(inputs[:, start : start + size])
            start += size
        return chunks

    def compute_output_shape(self, input_shape):
        return [(input_shape[0], size) for size in self.sizes]

    def get_config(self):
        config = super().get_config()
        config.update({"sizes": self.sizes})
        return config


# -- the networks' blocks, with the layer options BigGANConfig exposes ---------------
# SAGAN's blocks (ganzoo_sagan.blocks), parametrised by ``LayerOptions``: the
# spectral norm's sigma estimate, the attention's pooling order and the cBN
# projections' bias reach every layer that has them.
@dataclass(frozen=True)
class LayerOptions:
    initializer: object = "orthogonal"
    sigma_estimate: str = "stored"  # SpectralNorm: "stored" or "iterate"
    cbn_bias: bool = True  # a bias in the cBN gain/bias projections

    def sn_conv(self, filters: int, kernel_size: int, name: str) -> SNConv2D:
        return SNConv2D(filters, kernel_size, padding="same",
                        kernel_initializer=fresh_initializer(self.initializer),
                        sigma_estimate=self.sigma_estimate, name=name)

    def sn_dense(self, units: int, name: str) -> SNDense:
        return SNDense(units, kernel_initializer=fresh_initializer(self.initializer),
                       sigma_estimate=self.sigma_estimate, name=name)

    def cbn(self, name: str) -> ConditionalBatchNormalization:
        return ConditionalBatchNormalization(
            spectral_norm=True, momentum=BN_MOMENTUM, epsilon=BN_EPSILON,
            kernel_initializer=fresh_initializer(self.initializer),
            projection_bias=self.cbn_bias, sigma_estimate=self.sigma_estimate, name=name)

    def attention(self, x, name: str = "attention"):
        """SAGAN's self-attention: SN 1x1 convs, keys and values max-pooled 2x2
        after their convs (as the official SAGAN and BigGAN code)."""
        return SelfAttention(spectral_norm=True, pool_key_value=True, pool_after_conv=True,
                             sigma_estimate=self.sigma_estimate,
                             kernel_initializer=fresh_initializer(self.initializer),
                             name=name)(x)

    def up_block(self, x, cond, filters: int, name: str):
        """G block: cBN-ReLU-up-conv3-cBN-ReLU-conv3, plus up-conv1 shortcut."""
        shortcut = keras.layers.UpSampling2D(name=f"{name}_shortcut_up")(x)
        shortcut = self.sn_conv(filters, 1, f"{name}_shortcut")(shortcut)
        h = keras.layers.ReLU()(self.cbn(f"{name}_norm1")([x, cond]))
        h = keras.layers.UpSampling2D(name=f"{name}_up")(h)
        h = self.sn_conv(filters, 3, f"{name}_conv1")(h)
        h = keras.layers.ReLU()(self.cbn(f"{name}_norm2")([h, cond]))
        h = self.sn_conv(filters, 3, f"{name}_conv2")(h)
        return keras.layers.Add(name=f"{name}_add")([shortcut, h])

    def down_block(self, x, filters: int, name: str, downsample: bool, preactivation: bool):
        """D block as ``ganzoo_sagan.blocks.down_block``, with these options."""
        h = keras.layers.ReLU()(x) if preactivation else x
        h = self.sn_conv(filters, 3, f"{name}_conv1")(h)
        h = self.sn_conv(filters, 3, f"{name}_conv2")(keras.layers.ReLU()(h))
        if downsample:
            h = keras.layers.AveragePooling2D(2, name=f"{name}_pool")(h)
        shortcut = x
        if downsample or x.shape[-1] != filters:
            conv = self.sn_conv(filters, 1, f"{name}_shortcut")
            pool = keras.layers.AveragePooling2D(2, name=f"{name}_shortcut_pool")
            if not downsample:
                shortcut = conv(shortcut)
            elif preactivation:
                shortcut = pool(conv(shortcut))
            else:
                shortcut = conv(pool(shortcut))
        return keras.layers.Add(name=f"{name}_add")([shortcut, h])

    def to_image(self, x, channels: int):
        """G's output: BN-ReLU-conv3-tanh, in float32 under mixed precision."""
        x = keras.layers.ReLU()(batch_norm("output_norm")(x))
        x = self.sn_conv(channels, 3, "to_image")(x)
        return keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)


def layer_options(config) -> LayerOptions:
    return LayerOptions(config.INITIALIZER, config.spectral_norm_sigma, config.cbn_bias)

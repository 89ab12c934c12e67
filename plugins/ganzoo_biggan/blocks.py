"""Hierarchical latents (Brock et al. 2019, Section 4 "Hierarchical latent spaces"),
the blocks of BigGAN's networks and BigGAN-deep's bottleneck blocks (Appendix B).

BigGAN-deep's blocks are four convolutions: a 1x1 conv from the block's
width down to ``width / channel_ratio`` channels, two 3x3 convs at that
width and a 1x1 conv out to the block's output width. G's (cBN-ReLU before
each conv) up-sample between the first two convs and narrow; their skip
keeps the input's first ``out`` channels and drops the rest, with no conv.
D's (ReLU before each conv, no normalization) pool before the last conv and
widen; their skip passes the (pooled) input unchanged and concatenates
``out - in`` channels from a 1x1 conv.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
from ganzoo_sagan import blocks as sagan
from ganzoo_sagan.blocks import fresh_initializer

from ganzoo.layers import (
    ConditionalBatchNormalization,
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
# SAGAN's blocks (ganzoo_sagan.blocks) with ``LayerOptions``: the initializer, the
# spectral norm's sigma estimate and the cBN projections' bias reach every layer
# that has them.
@dataclass(frozen=True)
class LayerOptions:
    initializer: object = "orthogonal"
    sigma_estimate: str = "stored"  # SpectralNorm: "stored", "iterate" or "stored_uv"
    cbn_bias: bool = True  # a bias in the cBN gain/bias projections
    bn_epsilon: float = sagan.BN_EPSILON  # G's batch norms
    activated_shortcut: bool = False  # D blocks' shortcut after their ReLU

    def sn_conv(self, filters: int, kernel_size: int, name: str) -> SNConv2D:
        return sagan.sn_conv(filters, kernel_size, name, self.initializer, self.sigma_estimate)

    def sn_dense(self, units: int, name: str) -> SNDense:
        return SNDense(units, kernel_initializer=fresh_initializer(self.initializer),
                       sigma_estimate=self.sigma_estimate, name=name)

    def cbn(self, name: str) -> ConditionalBatchNormalization:
        return ConditionalBatchNormalization(
            spectral_norm=True, momentum=sagan.BN_MOMENTUM, epsilon=self.bn_epsilon,
            kernel_initializer=fresh_initializer(self.initializer),
            projection_bias=self.cbn_bias, sigma_estimate=self.sigma_estimate, name=name)

    def attention(self, x, name: str = "attention"):
        return sagan.attention(x, name, self.initializer, self.sigma_estimate)

    def up_block(self, x, cond, filters: int, name: str):
        """G block with cBN on ``cond`` (the class embedding and a z chunk)."""
        def norm(h, norm_name):
            return self.cbn(norm_name)([h, cond])
        return sagan.up_block(x, filters, norm, name, self.initializer, self.sigma_estimate)

    def down_block(self, x, filters: int, name: str, downsample: bool, preactivation: bool):
        return sagan.down_block(x, filters, name, self.initializer, downsample, preactivation,
                                self.sigma_estimate, self.activated_shortcut)

    def to_image(self, x, channels: int):
        return sagan.to_image(x, channels, self.initializer, self.sigma_estimate,
                              epsilon=self.bn_epsilon)


def layer_options(config) -> LayerOptions:
    return LayerOptions(config.INITIALIZER, config.spectral_norm_sigma, config.cbn_bias,
                        config.bn_epsilon, config.d_activated_shortcut)


# -- BigGAN-deep ---------------------------------------------------------------------
@keras.saving.register_keras_serializable(package="ganzoo_biggan")
class KeepChannels(keras.layers.Layer):
    """The first ``channels`` channels of an NHWC tensor (G's skip connection).

    Args:
        channels: int, how many leading channels to keep.
    """

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = int(channels)

    def call(self, inputs):
        return inputs[..., : self.channels]

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.channels)

    def get_config(self):
        return {**super().get_config(), "channels": self.channels}


def g_block(x, cond, out_channels: int, upsample: bool, ratio: int, name: str,
            options: LayerOptions):
    """G's bottleneck block: 4 x (cBN-ReLU-conv), 1x1 / 3x3 / 3x3 / 1x1, up-sampling
    between the first two; the skip drops channels and up-samples."""
    in_channels = x.shape[-1]
    hidden = in_channels // ratio

    def norm_relu(h, index):
        return keras.layers.ReLU()(options.cbn(f"{name}_norm{index}")([h, cond]))

    h = options.sn_conv(hidden, 1, f"{name}_conv1")(norm_relu(x, 1))
    h = norm_relu(h, 2)
    skip = x
    if out_channels != in_channels:
        skip = KeepChannels(out_channels, name=f"{name}_keep_channels")(skip)
    if upsample:
        h = keras.layers.UpSampling2D(name=f"{name}_up")(h)
        skip = keras.layers.UpSampling2D(name=f"{name}_skip_up")(skip)
    h = options.sn_conv(hidden, 3, f"{name}_conv2")(h)
    h = options.sn_conv(hidden, 3, f"{name}_conv3")(norm_relu(h, 3))
    h = options.sn_conv(out_channels, 1, f"{name}_conv4")(norm_relu(h, 4))
    return keras.layers.Add(name=f"{name}_add")([skip, h])


def d_block(x, out_channels: int, downsample: bool, ratio: int, name: str,
            options: LayerOptions):
    """D's bottleneck block: 4 x (ReLU-conv), 1x1 / 3x3 / 3x3 / 1x1, pooling before
    the last; the skip pools and concatenates new channels from a 1x1 conv."""
    in_channels = x.shape[-1]
    hidden = out_channels // ratio
    h = x
    for index, (width, size) in enumerate(((hidden, 1), (hidden, 3), (hidden, 3)), 1):
        h = options.sn_conv(width, size, f"{name}_conv{index}")(keras.layers.ReLU()(h))
    h = keras.layers.ReLU()(h)
    skip = x
    if downsample:
        h = keras.layers.AveragePooling2D(2, name=f"{name}_pool")(h)
        skip = keras.layers.AveragePooling2D(2, name=f"{name}_skip_pool")(skip)
    h = options.sn_conv(out_channels, 1, f"{name}_conv4")(h)
    if out_channels != in_channels:
        extra = options.sn_conv(out_channels - in_channels, 1, f"{name}_skip_conv")(skip)
        skip = keras.layers.Concatenate(name=f"{name}_skip_concat")([skip, extra])
    return keras.layers.Add(name=f"{name}_add")([skip, h])

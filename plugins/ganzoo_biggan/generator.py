"""BigGAN's generator (Brock et al. 2019, Appendix B; BigGAN-PyTorch ``Generator``).

z is split into chunks (hierarchical latents): the first goes through an SN
linear layer to 4x4; every ResNet up-sampling block gets the next chunk
concatenated with a shared class embedding, which each of its conditional
batch norms projects linearly (SN dense layers) into a per-sample gain and
bias. Self-attention follows the block whose output has
``attention_resolution``; the output is BN-ReLU-conv-tanh. Spectral norm on
every conv and linear layer of G; the shared embedding is plain, as in
BigGAN-PyTorch.

BigGAN-deep's generator (``deep_generator``; Appendix B) does not split z:
``[shared embedding, z]`` feeds the SN linear layer to 4x4 and every cBN of
``blocks_per_resolution`` bottleneck blocks per resolution (the last one
up-samples and narrows), then the same BN-ReLU-conv-tanh output.
"""

from __future__ import annotations

import keras
from ganzoo_sagan.blocks import fresh_initializer
from ganzoo_sagan.config import widths

from ganzoo_biggan.blocks import (
    LatentSplit,
    LayerOptions,
    g_block,
    latent_chunk_sizes,
    layer_options,
)
from ganzoo_biggan.config import BigGANDeepConfig

# The orthogonal regularizer skips weights whose path contains "embedding".
SHARED_EMBEDDING = "shared_embedding"


def biggan_generator(
    latent_dim: int,
    channels: int,
    widths: list[int],
    num_classes: int,
    shared_dim: int = 128,
    attention_resolution: int = 0,
    options: LayerOptions | None = None,
    hierarchical_z: bool = True,
    name: str = "biggan_generator",
) -> keras.Model:
    """``[z, labels]`` -> images in [-1, 1], 4 * 2^(len(widths) - 1) pixels wide.

    ``widths[0]`` is the width at 4x4 and ``widths[i]`` after up block i. With
    ``hierarchical_z``, z is split into ``len(widths)`` chunks
    (``latent_chunk_sizes``); without, the linear layer takes all of z and
    every cBN the shared embedding alone (BigGAN-PyTorch's ``hier=False``).
    """
    options = options or LayerOptions()
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    if hierarchical_z:
        chunks = LatentSplit(latent_chunk_sizes(latent_dim, len(widths)), name="z_split")(z)
    else:
        chunks = [z]
    shared = keras.layers.Embedding(
        num_classes,
        shared_dim,
        embeddings_initializer=fresh_initializer(options.initializer),
        name=SHARED_EMBEDDING,
    )(labels)

    x = options.sn_dense(4 * 4 * widths[0], "project")(chunks[0])
    x = keras.layers.Reshape((4, 4, widths[0]))(x)
    for i, filters in enumerate(widths[1:]):
        cond = shared
        if hierarchical_z:
            cond = keras.layers.Concatenate(name=f"block{i + 1}_condition")(
                [shared, chunks[i + 1]]
            )
        x = options.up_block(x, cond, filters, f"block{i + 1}")
        if x.shape[1] == attention_resolution:
            x = options.attention(x)
    images = options.to_image(x, channels)
    return keras.Model([z, labels], images, name=name)


def build_generator(config) -> keras.Model:
    """BigGAN's generator for a ``BigGANConfig``, BigGAN-deep's for a ``BigGANDeepConfig``."""
    if isinstance(config, BigGANDeepConfig):
        return deep_generator(config.latent_dim, config.channels,
                              widths(config.base_filters, config.g_multipliers),
                              config.num_classes, config.shared_dim,
                              config.resolved_attention_resolution,
                              config.blocks_per_resolution, config.channel_ratio,
                              layer_options(config))
    return biggan_generator(config.latent_dim, config.channels,
                            widths(config.base_filters, config.g_multipliers),
                            config.num_classes, config.shared_dim,
                            config.resolved_attention_resolution, layer_options(config),
                            config.hierarchical_z)


def deep_generator(latent_dim: int, channels: int, widths: list[int], num_classes: int,
                   shared_dim: int = 128, attention_resolution: int = 0,
                   blocks_per_resolution: int = 2, channel_ratio: int = 4,
                   options: LayerOptions | None = None,
                   name: str = "biggan_deep_generator") -> keras.Model:
    """``[z, labels]`` -> images in [-1, 1], 4 * 2^(len(widths) - 1) pixels wide.

    ``widths[0]`` is the width at 4x4 and ``widths[i]`` at the end of resolution i.
    """
    options = options or LayerOptions()
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    shared = keras.layers.Embedding(
        num_classes, shared_dim, embeddings_initializer=fresh_initializer(options.initializer),
        name=SHARED_EMBEDDING)(labels)
    cond = keras.layers.Concatenate(name="condition")([shared, z])
    x = options.sn_dense(4 * 4 * widths[0], "project")(cond)
    x = keras.layers.Reshape((4, 4, widths[0]))(x)
    for level, width in enumerate(widths[1:], 1):
        for index in range(blocks_per_resolution):
            last = index == blocks_per_resolution - 1
            x = g_block(x, cond, width if last else x.shape[-1], last, channel_ratio,
                        f"block{level}_{index + 1}", options)
        if x.shape[1] == attention_resolution:
            x = options.attention(x)
    return keras.Model([z, labels], options.to_image(x, channels), name=name)

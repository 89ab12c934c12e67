"""BigGAN's generator (Brock et al. 2019, Appendix B; BigGAN-PyTorch ``Generator``).

z is split into chunks (hierarchical latents): the first goes through an SN
linear layer to 4x4; every ResNet up-sampling block gets the next chunk
concatenated with a shared class embedding, which each of its conditional
batch norms projects linearly (SN dense layers) into a per-sample gain and
bias. Self-attention follows the block whose output has
``attention_resolution``; the output is BN-ReLU-conv-tanh. Spectral norm on
every conv and linear layer of G; the shared embedding is plain, as in
BigGAN-PyTorch.
"""

from __future__ import annotations

import keras
from ganzoo_sagan.blocks import (
    BN_EPSILON,
    BN_MOMENTUM,
    attention,
    fresh_initializer,
    to_image,
    up_block,
)
from ganzoo_sagan.config import widths

from ganzoo.layers import ConditionalBatchNormalization, SNDense
from ganzoo_biggan.blocks import LatentSplit, latent_chunk_sizes

# The orthogonal regularizer skips weights whose path contains "embedding".
SHARED_EMBEDDING = "shared_embedding"


def biggan_generator(
    latent_dim: int,
    channels: int,
    widths: list[int],
    num_classes: int,
    shared_dim: int = 128,
    attention_resolution: int = 0,
    initializer="orthogonal",
    name: str = "biggan_generator",
) -> keras.Model:
    """``[z, labels]`` -> images in [-1, 1], 4 * 2^(len(widths) - 1) pixels wide.

    ``widths[0]`` is the width at 4x4 and ``widths[i]`` after up block i; z is
    split into ``len(widths)`` chunks (``latent_chunk_sizes``).
    """
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    chunks = LatentSplit(latent_chunk_sizes(latent_dim, len(widths)), name="z_split")(z)
    shared = keras.layers.Embedding(
        num_classes,
        shared_dim,
        embeddings_initializer=fresh_initializer(initializer),
        name=SHARED_EMBEDDING,
    )(labels)

    x = SNDense(
        4 * 4 * widths[0],
        kernel_initializer=fresh_initializer(initializer),
        name="project",
    )(chunks[0])
    x = keras.layers.Reshape((4, 4, widths[0]))(x)
    for i, filters in enumerate(widths[1:]):
        cond = keras.layers.Concatenate(name=f"block{i + 1}_condition")(
            [shared, chunks[i + 1]]
        )

        def norm(h, name, cond=cond):
            return ConditionalBatchNormalization(
                spectral_norm=True,
                momentum=BN_MOMENTUM,
                epsilon=BN_EPSILON,
                kernel_initializer=fresh_initializer(initializer),
                name=name,
            )([h, cond])

        x = up_block(x, filters, norm, f"block{i + 1}", initializer)
        if x.shape[1] == attention_resolution:
            x = attention(x, "attention", initializer)
    images = to_image(x, channels, initializer)
    return keras.Model([z, labels], images, name=name)


def build_generator(config) -> keras.Model:
    """BigGAN's generator for a ``BigGANConfig``."""
    return biggan_generator(config.latent_dim, config.channels,
                            widths(config.base_filters, config.g_multipliers),
                            config.num_classes, config.shared_dim,
                            config.resolved_attention_resolution, config.INITIALIZER)

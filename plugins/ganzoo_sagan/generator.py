"""SAGAN's generator (Zhang et al. 2019; the official code's ``generator_test``).

z -> SN linear to 4x4 -> ResNet up-sampling blocks with class-conditional
batch norm (per-class gain and bias, initialised to 1 and 0) -> BN-ReLU-conv
-> tanh. Self-attention follows the block whose output has
``attention_resolution``. Spectral norm on every conv and linear of G.
"""

from __future__ import annotations

import keras

from ganzoo.layers import ConditionalBatchNormalization, SNDense
from ganzoo_sagan.blocks import (
    BN_EPSILON,
    BN_MOMENTUM,
    attention,
    batch_norm,
    fresh_initializer,
    to_image,
    up_block,
)
from ganzoo_sagan.config import widths


def sagan_generator(
    latent_dim: int,
    channels: int,
    widths: list[int],
    num_classes: int = 0,
    attention_resolution: int = 0,
    initializer="glorot_uniform",
    name: str = "sagan_generator",
    spectral_norm: bool = True,
    bn_epsilon: float = BN_EPSILON,
    cbn_initializer="zeros",
) -> keras.Model:
    """``[z, labels]`` (or z when ``num_classes=0``) -> images in [-1, 1].

    ``widths[0]`` is the width at 4x4, ``widths[i]`` after up block i; the
    output is 4 * 2^(len(widths) - 1) pixels wide. ``spectral_norm=False``,
    ``bn_epsilon`` and ``cbn_initializer`` (of the per-class gain offsets and
    biases) give SN-GAN's generator (``sngan``).
    """
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels") if num_classes else None

    def norm(x, name):
        if labels is None:
            return batch_norm(name, bn_epsilon)(x)
        return ConditionalBatchNormalization(
            num_classes,
            momentum=BN_MOMENTUM,
            epsilon=bn_epsilon,
            # SAGAN: zeros (gain 1 + 0, bias 0 for every class)
            kernel_initializer=fresh_initializer(cbn_initializer),
            name=name,
        )([x, labels])

    dense = SNDense if spectral_norm else keras.layers.Dense
    x = dense(
        4 * 4 * widths[0],
        kernel_initializer=fresh_initializer(initializer),
        name="project",
    )(z)
    x = keras.layers.Reshape((4, 4, widths[0]))(x)
    for i, filters in enumerate(widths[1:]):
        x = up_block(x, filters, norm, f"block{i + 1}", initializer,
                     spectral_norm=spectral_norm)
        if x.shape[1] == attention_resolution:
            x = attention(x, "attention", initializer)
    images = to_image(x, channels, initializer, spectral_norm=spectral_norm,
                      epsilon=bn_epsilon)
    inputs = z if labels is None else [z, labels]
    return keras.Model(inputs, images, name=name)


def build_generator(config) -> keras.Model:
    """SAGAN's generator for a ``SAGANConfig``."""
    return sagan_generator(config.latent_dim, config.channels,
                           widths(config.base_filters, config.g_multipliers),
                           config.num_classes, config.resolved_attention_resolution,
                           config.INITIALIZER)


def build_sngan_generator(config) -> keras.Model:
    """SN-GAN's generator for an ``SNGANConfig`` (StudioGAN's ``resnet`` G): no
    attention, spectral norm only with ``g_spectral_norm``, BN epsilon 1e-4,
    cBN gain offsets and biases initialised as the other weights."""
    return sagan_generator(config.latent_dim, config.channels,
                           widths(config.base_filters, config.g_multipliers),
                           config.num_classes, 0, config.INITIALIZER,
                           name="sngan_generator", spectral_norm=config.g_spectral_norm,
                           bn_epsilon=config.BN_EPSILON, cbn_initializer=config.INITIALIZER)

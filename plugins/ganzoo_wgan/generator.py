"""Generators: DCGAN's (WGAN, LSGAN, WGAN-GP's DCGAN setup) and WGAN-GP's ResNet one.

The ResNet generator (Gulrajani et al. 2017, Appendix F, the reference
``gan_cifar_resnet.py``) projects z to 4x4 x DIM, runs one up-sampling
residual block per doubling, then BN, ReLU, a 3x3 conv and tanh.
"""

from __future__ import annotations

import keras
from ganzoo_dcgan.blocks import num_blocks
from ganzoo_dcgan.generator import dcgan_generator

from ganzoo_wgan.blocks import conv, up_block
from ganzoo_wgan.config import LSGANConfig, WGANGPConfig


def resnet_generator(
    latent_dim: int,
    image_size: int,
    channels: int,
    filters: int = 128,
    name: str = "resnet_generator",
) -> keras.Model:
    """z -> 4x4 x filters -> one up block per doubling -> image in [-1, 1]."""
    z = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(4 * 4 * filters, name="project")(z)
    x = keras.layers.Reshape((4, 4, filters))(x)
    for i in range(num_blocks(image_size)):
        x = up_block(x, filters, f"up{i + 1}")
    x = keras.layers.BatchNormalization(name="out_bn")(x)
    x = keras.layers.ReLU()(x)
    x = conv(channels, 3, "to_image")(x)
    images = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(z, images, name=name)


def build_generator(config) -> keras.Model:
    """The generator of a wgan, wgan-gp or lsgan config."""
    if not isinstance(config, WGANGPConfig):  # DCGAN's, unchanged
        name = "lsgan_generator" if isinstance(config, LSGANConfig) else "wgan_generator"
        return dcgan_generator(config.latent_dim, config.image_size, config.channels,
                               config.base_filters, config.kernel_size, name=name)
    if config.critic == "resnet":
        return resnet_generator(config.latent_dim, config.image_size, config.channels,
                                config.resolved_base_filters, name="wgan_gp_resnet_generator")
    # The reference gan_cifar.py: 5x5 kernels, batch norm in G only.
    return dcgan_generator(config.latent_dim, config.image_size, config.channels,
                           config.resolved_base_filters, 5, name="wgan_gp_generator")

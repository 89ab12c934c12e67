"""Generators: DCGAN's (Radford et al. 2016) and its class-conditional form.

The conditional generator follows Mirza & Osindero 2014 (arXiv:1411.1784),
Section 3.2: "the prior input noise p_z(z), and y are combined in joint hidden
representation". Here y is a learned label embedding concatenated with z,
which DCGAN's projection layer then maps to the first 4x4 feature map.
"""

from __future__ import annotations

import keras

from ganzoo_dcgan.blocks import generator_body


def dcgan_generator(
    latent_dim: int,
    image_size: int,
    channels: int,
    base_filters: int = 128,
    kernel_size: int = 5,
    name: str = "dcgan_generator",
    use_bias: bool = True,
) -> keras.Model:
    """z -> image_size x image_size x channels in [-1, 1]."""
    z = keras.Input((latent_dim,), name="z")
    images = generator_body(z, image_size, channels, base_filters, kernel_size, use_bias)
    return keras.Model(z, images, name=name)


def cgan_generator(
    latent_dim: int,
    num_classes: int,
    image_size: int,
    channels: int,
    base_filters: int = 128,
    kernel_size: int = 5,
    label_dim: int = 50,
    name: str = "cgan_generator",
    use_bias: bool = True,
) -> keras.Model:
    """[z, labels] -> images of the asked classes in [-1, 1]."""
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    # N(0, 1) like z, so neither input dominates the projection at the start.
    embedding = keras.layers.Embedding(
        num_classes,
        label_dim,
        embeddings_initializer=keras.initializers.RandomNormal(0.0, 1.0),
        name="label_embedding",
    )(labels)
    x = keras.layers.Concatenate(name="z_and_label")([z, embedding])
    images = generator_body(x, image_size, channels, base_filters, kernel_size, use_bias)
    return keras.Model([z, labels], images, name=name)


def build_generator(config) -> keras.Model:
    """DCGAN's generator for a ``DCGANConfig``; the conditional one when it has classes."""
    if config.num_classes:
        return cgan_generator(config.latent_dim, config.num_classes, config.image_size,
                              config.channels, config.base_filters, config.kernel_size,
                              config.label_dim, use_bias=config.use_bias)
    return dcgan_generator(config.latent_dim, config.image_size, config.channels,
                           config.base_filters, config.kernel_size,
                           use_bias=config.use_bias)

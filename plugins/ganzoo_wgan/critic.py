"""WGAN-GP's DCGAN-style critic (Gulrajani et al. 2017, reference gan_cifar.py).

DCGAN's discriminator (ganzoo_dcgan) has batch norm, which WGAN-GP's
per-sample gradient penalty rules out: this critic is the same stack of
strided convs and leaky ReLU 0.2 with no normalization or layer norm, ending
in one linear unit.
"""

from __future__ import annotations

import keras
from ganzoo_dcgan.blocks import LEAKY_SLOPE, num_blocks


def layer_norm(name: str) -> keras.layers.Layer:
    """Layer norm over (H, W, C) with a per-channel affine, as the reference
    code's tflib Layernorm over axes [1, 2, 3]."""
    return keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)


def dcgan_critic(
    image_size: int,
    channels: int,
    filters: int = 64,
    kernel_size: int = 5,
    norm: str = "none",
    name: str = "dcgan_critic",
) -> keras.Model:
    """image -> strided convs (filters, 2x, 4x ... down to 4x4) -> one value.

    ``norm="layer"`` adds layer norm after every conv but the first.
    """
    images = keras.Input((image_size, image_size, channels), name="images")
    x = images
    for i in range(num_blocks(image_size)):
        x = keras.layers.Conv2D(
            filters * 2**i,
            kernel_size,
            strides=2,
            padding="same",
            kernel_initializer="he_uniform",
            name=f"down{i + 1}",
        )(x)
        if norm == "layer" and i > 0:
            x = layer_norm(f"down{i + 1}_norm")(x)
        x = keras.layers.LeakyReLU(LEAKY_SLOPE)(x)
    x = keras.layers.Flatten()(x)
    value = keras.layers.Dense(1, dtype="float32", name="critic")(x)
    return keras.Model(images, value, name=name)

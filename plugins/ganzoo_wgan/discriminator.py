"""Critics: DCGAN's (WGAN, LSGAN), WGAN-GP's DCGAN-style one and its ResNet one.

WGAN and LSGAN use DCGAN's discriminator (ganzoo_dcgan) unchanged. DCGAN's
discriminator has batch norm, which WGAN-GP's per-sample gradient penalty
rules out: WGAN-GP's critic (reference gan_cifar.py) is the same stack of
strided convs and leaky ReLU 0.2 with no normalization or layer norm, ending
in one linear unit. The ResNet critic (Appendix F, ``gan_cifar_resnet.py``)
has an "optimized" first block, down-sampling blocks to 8x8, two blocks at
8x8, then ReLU, global mean pooling and one linear unit.
"""

from __future__ import annotations

import keras
from ganzoo_dcgan.blocks import LEAKY_SLOPE, num_blocks
from ganzoo_dcgan.discriminator import dcgan_discriminator

from ganzoo_wgan.blocks import conv, critic_block, layer_norm, pool
from ganzoo_wgan.config import LSGANConfig, WGANConfig


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


def resnet_critic(
    image_size: int,
    channels: int,
    filters: int = 128,
    norm: str = "none",
    name: str = "resnet_critic",
) -> keras.Model:
    """image -> optimized block -> down blocks to 8x8 (4x4 for 8x8 input) -> 2 blocks -> value."""
    images = keras.Input((image_size, image_size, channels), name="images")
    # The "optimized" first block: no activation before its first conv.
    shortcut = conv(filters, 1, "block1_shortcut")(pool(images))
    x = conv(filters, 3, "block1_conv1")(images)
    if norm == "layer":
        x = layer_norm("block1_norm")(x)
    x = keras.layers.ReLU()(x)
    x = pool(conv(filters, 3, "block1_conv2")(x))
    x = keras.layers.Add()([shortcut, x])
    block = 2
    while x.shape[1] > 8:
        x = critic_block(x, filters, norm, True, f"block{block}")
        block += 1
    for _ in range(2):
        x = critic_block(x, filters, norm, False, f"block{block}")
        block += 1
    x = keras.layers.ReLU()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    value = keras.layers.Dense(1, dtype="float32", name="critic")(x)
    return keras.Model(images, value, name=name)


def build_discriminator(config) -> keras.Model:
    """The critic (discriminator) of a wgan, wgan-gp or lsgan config."""
    if isinstance(config, LSGANConfig):
        return dcgan_discriminator(config.image_size, config.channels, config.base_filters,
                                   config.kernel_size, name="lsgan_discriminator")
    if isinstance(config, WGANConfig):  # DCGAN's, batch norm included, as the reference
        return dcgan_discriminator(config.image_size, config.channels, config.base_filters,
                                   config.kernel_size, name="wgan_critic")
    if config.critic == "resnet":
        return resnet_critic(config.image_size, config.channels, config.resolved_base_filters,
                             config.critic_norm, name="wgan_gp_resnet_critic")
    return dcgan_critic(config.image_size, config.channels, config.resolved_base_filters, 5,
                        config.critic_norm, name="wgan_gp_critic")

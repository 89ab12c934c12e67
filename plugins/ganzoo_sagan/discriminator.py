"""The SN ResNet discriminator of SAGAN and BigGAN, with a conditioning head.

Image -> an "optimized" first block -> pre-activation blocks halving the
resolution down to 4x4 -> one more block at 4x4 -> ReLU -> sum over space ->
the head of the config's ``d_conditioning``: by default SN linear +
projection of the class embedding (Miyato & Koyama 2018); any registered
conditioning of D (``ganzoo.conditioning``: acgan, contragan, mhgan ...).
Self-attention follows the block whose output has ``attention_resolution``
(SAGAN's official code: after the 32x32 block at 128x128; BigGAN at 64x64).
"""

from __future__ import annotations

import keras

from ganzoo import conditioning
from ganzoo.layers import SNDense
from ganzoo_sagan.blocks import (
    GlobalSumPooling2D,
    attention,
    down_block,
    fresh_initializer,
)
from ganzoo_sagan.config import widths


def resnet_discriminator(
    image_size: int,
    channels: int,
    widths: list[int],
    num_classes: int = 0,
    attention_resolution: int = 0,
    initializer="glorot_uniform",
    name: str = "resnet_discriminator",
    d_conditioning="projection",
    downsample: tuple[bool, ...] | None = None,
) -> keras.Model:
    """``[images, labels]`` (or images when ``num_classes=0``) -> (B, 1) logits, or
    the dict of ``d_conditioning``'s head (``"logits"`` and its auxiliary outputs).

    ``widths[i]`` is the output width of block i; every block but the last
    halves the resolution, so ``len(widths)`` is log2(image_size / 4) + 1;
    ``downsample`` (one flag per block) says otherwise: SN-GAN's 32x32 D
    stops halving at 8x8.
    """
    if downsample is None:
        downsample = tuple(i < len(widths) - 1 for i in range(len(widths)))
    images = keras.Input((image_size, image_size, channels), name="images")
    x = images
    attended = False
    for i, filters in enumerate(widths):
        x = down_block(
            x,
            filters,
            f"block{i + 1}",
            initializer,
            downsample=downsample[i],
            preactivation=i > 0,
        )
        if not attended and x.shape[1] == attention_resolution:
            x = attention(x, "attention", initializer)
            attended = True
    x = keras.layers.ReLU()(x)
    features = GlobalSumPooling2D(name="sum_pool")(x)
    head = conditioning.get(d_conditioning)
    conditioning.check_labels(head.name, num_classes)
    if not num_classes:
        logits = SNDense(
            1, kernel_initializer=fresh_initializer(initializer), name="logits"
        )(features)
        return keras.Model(images, logits, name=name)
    labels = keras.Input((), dtype="int32", name="labels")
    logits = head.make_head(num_classes, spectral_norm=True,
                            kernel_initializer=fresh_initializer(initializer))([features, labels])
    return keras.Model([images, labels], logits, name=name)


def build_discriminator(config, name: str = "sagan_discriminator") -> keras.Model:
    """The SN ResNet discriminator of a SAGAN or BigGAN config, with its ``d_conditioning``."""
    return resnet_discriminator(config.image_size, config.channels,
                                widths(config.base_filters, config.d_multipliers),
                                config.num_classes, config.resolved_attention_resolution,
                                config.INITIALIZER, name=name,
                                d_conditioning=config.d_conditioning)


def build_sngan_discriminator(config) -> keras.Model:
    """SN-GAN's discriminator for an ``SNGANConfig``: no attention, its own
    down-sampling (``config.d_downsample``), any ``d_conditioning``."""
    return resnet_discriminator(config.image_size, config.channels,
                                widths(config.base_filters, config.d_multipliers),
                                config.num_classes, 0, config.INITIALIZER,
                                name="sngan_discriminator",
                                d_conditioning=config.d_conditioning,
                                downsample=config.d_downsample)

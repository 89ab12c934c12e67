"""BigGAN's discriminator: SAGAN's SN ResNet projection discriminator
(``ganzoo_sagan.discriminator``), orthogonally initialised, with BigGAN's
layer options and two layout options of BigGAN-PyTorch's ``D_arch``.

Image -> an "optimized" first block -> pre-activation blocks halving the
resolution down to ``final_resolution`` -> blocks at that size -> ReLU ->
sum over space -> the head of ``d_conditioning``: SN linear + projection of
the class embedding by default, any registered conditioning of D otherwise
(``headed_model``, shared with BigGAN-deep). At 32x32,
BigGAN-PyTorch (like SN-GAN's CIFAR network) stops halving at 8x8; ganzoo's
default is 4x4. Self-attention follows the first block whose output has
``attention_resolution``.

BigGAN-deep's discriminator (``deep_discriminator``; Appendix B): an SN 3x3
conv to the first width, ``blocks_per_resolution`` bottleneck blocks per
resolution (the first halves it and widens), ReLU, sum over space and the
head of ``d_conditioning`` (projection by default, any registered
conditioning of D otherwise).
"""

from __future__ import annotations

import keras
from ganzoo_sagan.blocks import GlobalSumPooling2D, fresh_initializer
from ganzoo_sagan.config import widths

from ganzoo import conditioning
from ganzoo.layers import ProjectionHead
from ganzoo_biggan.blocks import LayerOptions, d_block, layer_options
from ganzoo_biggan.config import BigGANDeepConfig


def headed_model(images, x, num_classes: int, d_conditioning, options: LayerOptions,
                 name: str) -> keras.Model:
    """ReLU -> sum over space -> the head of ``d_conditioning``: ``[images, labels]``
    -> logits. Projection is built here so that it follows ``spectral_norm_sigma``
    (and keeps the layer name ``projection`` that the importer writes to)."""
    features = GlobalSumPooling2D(name="sum_pool")(keras.layers.ReLU()(x))
    head = conditioning.get(d_conditioning)
    conditioning.check_labels(head.name, num_classes)
    initializer = fresh_initializer(options.initializer)
    if head.name == "projection":
        layer = ProjectionHead(num_classes, spectral_norm=True, kernel_initializer=initializer,
                               sigma_estimate=options.sigma_estimate, name="projection")
    else:
        layer = head.make_head(num_classes, spectral_norm=True, kernel_initializer=initializer)
    labels = keras.Input((), dtype="int32", name="labels")
    return keras.Model([images, labels], layer([features, labels]), name=name)


def biggan_discriminator(
    image_size: int,
    channels: int,
    widths: list[int],
    num_classes: int,
    attention_resolution: int = 0,
    options: LayerOptions | None = None,
    final_resolution: int = 4,
    name: str = "biggan_discriminator",
    d_conditioning="projection",
) -> keras.Model:
    """``[images, labels]`` -> (B, 1) logits, or the dict of ``d_conditioning``'s head;
    ``widths[i]`` is block i's output width."""
    options = options or LayerOptions()
    images = keras.Input((image_size, image_size, channels), name="images")
    x, attended = images, False
    for i, filters in enumerate(widths):
        x = options.down_block(x, filters, f"block{i + 1}",
                               downsample=x.shape[1] > final_resolution, preactivation=i > 0)
        if not attended and x.shape[1] == attention_resolution:
            x = options.attention(x)
            attended = True
    return headed_model(images, x, num_classes, d_conditioning, options, name)


def build_discriminator(config) -> keras.Model:
    """BigGAN's discriminator for a ``BigGANConfig``, BigGAN-deep's for a
    ``BigGANDeepConfig``."""
    if isinstance(config, BigGANDeepConfig):
        return deep_discriminator(config.image_size, config.channels,
                                  widths(config.base_filters, config.d_multipliers),
                                  config.num_classes, config.resolved_d_attention_resolution,
                                  config.blocks_per_resolution, config.channel_ratio,
                                  config.d_final_resolution, config.d_conditioning,
                                  layer_options(config))
    return biggan_discriminator(config.image_size, config.channels,
                                widths(config.base_filters, config.d_multipliers),
                                config.num_classes, config.resolved_d_attention_resolution,
                                layer_options(config), config.d_final_resolution,
                                d_conditioning=config.d_conditioning)


def deep_discriminator(image_size: int, channels: int, widths: list[int],
                       num_classes: int, attention_resolution: int = 0,
                       blocks_per_resolution: int = 2, channel_ratio: int = 4,
                       final_resolution: int = 4, d_conditioning="projection",
                       options: LayerOptions | None = None,
                       name: str = "biggan_deep_discriminator") -> keras.Model:
    """``[images, labels]`` -> (B, 1) logits, or the dict of ``d_conditioning``'s head.

    ``widths[0]`` is the input conv's width and ``widths[i]`` that of resolution
    i's blocks; every resolution halves the size until ``final_resolution``.
    """
    options = options or LayerOptions()
    images = keras.Input((image_size, image_size, channels), name="images")
    x = options.sn_conv(widths[0], 3, "input_conv")(images)
    attended = False
    for level, width in enumerate(widths[1:], 1):
        downsample = x.shape[1] > final_resolution
        for index in range(blocks_per_resolution):
            x = d_block(x, width, downsample and index == 0, channel_ratio,
                        f"block{level}_{index + 1}", options)
        if not attended and x.shape[1] == attention_resolution:
            x = options.attention(x)
            attended = True
    return headed_model(images, x, num_classes, d_conditioning, options, name)

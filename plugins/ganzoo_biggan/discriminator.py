"""BigGAN's discriminator: SAGAN's SN ResNet projection discriminator
(``ganzoo_sagan.discriminator``), orthogonally initialised, with BigGAN's
layer options and two layout options of BigGAN-PyTorch's ``D_arch``.

Image -> an "optimized" first block -> pre-activation blocks halving the
resolution down to ``final_resolution`` -> blocks at that size -> ReLU ->
sum over space -> SN linear + projection of the class embedding. At 32x32,
BigGAN-PyTorch (like SN-GAN's CIFAR network) stops halving at 8x8; ganzoo's
default is 4x4. Self-attention follows the first block whose output has
``attention_resolution``.
"""

from __future__ import annotations

import keras
from ganzoo_sagan.blocks import GlobalSumPooling2D, fresh_initializer
from ganzoo_sagan.config import widths

from ganzoo.layers import ProjectionHead
from ganzoo_biggan.blocks import LayerOptions, layer_options


def biggan_discriminator(
    image_size: int,
    channels: int,
    widths: list[int],
    num_classes: int,
    attention_resolution: int = 0,
    options: LayerOptions | None = None,
    final_resolution: int = 4,
    name: str = "biggan_discriminator",
) -> keras.Model:
    """``[images, labels]`` -> (B, 1) logits; ``widths[i]`` is block i's output width."""
    options = options or LayerOptions()
    images = keras.Input((image_size, image_size, channels), name="images")
    x, attended = images, False
    for i, filters in enumerate(widths):
        x = options.down_block(x, filters, f"block{i + 1}",
                               downsample=x.shape[1] > final_resolution, preactivation=i > 0)
        if not attended and x.shape[1] == attention_resolution:
            x = options.attention(x)
            attended = True
    features = GlobalSumPooling2D(name="sum_pool")(keras.layers.ReLU()(x))
    labels = keras.Input((), dtype="int32", name="labels")
    logits = ProjectionHead(
        num_classes,
        spectral_norm=True,
        kernel_initializer=fresh_initializer(options.initializer),
        sigma_estimate=options.sigma_estimate,
        name="projection",
    )([features, labels])
    return keras.Model([images, labels], logits, name=name)


def build_discriminator(config) -> keras.Model:
    """BigGAN's discriminator for a ``BigGANConfig``."""
    return biggan_discriminator(config.image_size, config.channels,
                                widths(config.base_filters, config.d_multipliers),
                                config.num_classes, config.resolved_d_attention_resolution,
                                layer_options(config), config.d_final_resolution)

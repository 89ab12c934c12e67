"""ProGAN's discriminator: one fromRGB and one block per level, run from the input's level."""

from __future__ import annotations

import math

import keras
from keras import ops

from ganzoo.layers import EqualizedConv2D
from ganzoo_progan.blocks import DiscriminatorBlock, downscale2d, lerp
from ganzoo_progan.config import filters_at


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class ProGANDiscriminator(keras.Model):
    """image -> one critic value, Karras et al. 2018.

    The level is read from the input's resolution, so a 4x4 batch runs only
    fromRGB_4 and the last block. With ``alpha`` (fade-in) the newest block's
    output is blended with fromRGB of the 2x down-sampled input:
    ``lerp(fromRGB_{level-1}(downscale(x)), block_level(fromRGB_level(x)), alpha)``.

    Args:
        image_size: the target resolution (a power of two, 4 to 1024).
        channels: image channels.
        base_filters, max_filters: channels per level, see ``filters_at``.
        group_size: minibatch standard deviation group size.
        stddev: which minibatch standard deviation (``config.STDDEV_VARIANTS``):
            "nvidia" (default), "pytorch-gan-zoo" or "off".
    """

    def __init__(
        self,
        image_size: int,
        channels: int = 3,
        base_filters: int = 8192,
        max_filters: int = 512,
        group_size: int = 4,
        stddev: str = "nvidia",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.image_size = image_size
        self.channels = channels
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.group_size = group_size
        self.num_levels = int(math.log2(image_size)) - 1
        policy = self.dtype_policy
        self.from_rgb = [
            EqualizedConv2D(
                self.filters(lv), 1, dtype=policy, name=f"from_rgb_{4 * 2**lv}"
            )
            for lv in range(self.num_levels)
        ]
        self.blocks = [
            DiscriminatorBlock(
                self.filters(lv),
                self.filters(lv - 1),
                last=lv == 0,
                group_size=group_size,
                stddev=stddev,
                dtype=policy,
                name=f"block_{4 * 2**lv}",
            )
            for lv in range(self.num_levels)
        ]

    def filters(self, level: int) -> int:
        return filters_at(level, self.base_filters, self.max_filters)

    def build(self, input_shape):
        batch = input_shape[0]
        for lv in range(self.num_levels):
            res = 4 * 2**lv
            self.from_rgb[lv].build((batch, res, res, self.channels))
            self.blocks[lv].build((batch, res, res, self.filters(lv)))

    def level_layers(self, level: int, fading: bool) -> list[keras.layers.Layer]:
        """The layers a batch at ``level`` goes through (with fade-in if ``fading``)."""
        layers = [self.from_rgb[level], *self.blocks[: level + 1]]
        if fading and level > 0:
            layers.append(self.from_rgb[level - 1])
        return layers

    def level_of(self, images) -> int:
        level = int(math.log2(images.shape[1])) - 2
        if images.shape[1] != 4 * 2**level or not 0 <= level < self.num_levels:
            raise ValueError(
                f"ProGANDiscriminator takes 4x4 to {self.image_size}x{self.image_size} "
                f"images at a power of two; got {images.shape[1:3]}"
            )
        return level

    def call(self, images, alpha=None, training=None):
        level = self.level_of(images)
        x = ops.leaky_relu(self.from_rgb[level](images), negative_slope=0.2)
        x = self.blocks[level](x)
        if alpha is not None and level > 0:
            low = self.from_rgb[level - 1](downscale2d(images))
            x = lerp(ops.leaky_relu(low, negative_slope=0.2), x, alpha)
        for block in reversed(self.blocks[:level]):
            x = block(x)
        return x

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        return {
            **super().get_config(),
            "image_size": self.image_size,
            "channels": self.channels,
            "base_filters": self.base_filters,
            "max_filters": self.max_filters,
            "group_size": self.group_size,
            "stddev": self.stddev,
        }


def build_discriminator(config) -> ProGANDiscriminator:
    """ProGAN's discriminator for a ``ProGANConfig``, built at its full resolution."""
    discriminator = ProGANDiscriminator(config.image_size, config.channels,
                                        config.base_filters, config.max_filters,
                                        config.minibatch_group_size,
                                        stddev=config.minibatch_stddev,
                                        name="progan_discriminator")
    discriminator.build((None, config.image_size, config.image_size, config.channels))
    return discriminator

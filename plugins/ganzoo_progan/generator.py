"""ProGAN's generator: one block and one toRGB per level, run up to a given level."""

from __future__ import annotations

import math

import keras
from keras import ops

from ganzoo.layers import EqualizedConv2D, PixelNormalization
from ganzoo_progan.blocks import GeneratorBlock, lerp, upscale2d
from ganzoo_progan.config import filters_at


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class ProGANGenerator(keras.Model):
    """z -> image at level ``level`` (4 * 2^level pixels), Karras et al. 2018.

    ``call(z, level=None, alpha=None)`` runs the blocks up to ``level`` only
    (default: ``self.level``, which the ProGAN GAN keeps at the level being
    trained). With ``alpha`` the output is ``lerp(upscale(toRGB_{level-1}),
    toRGB_level, alpha)``, the fade-in of the newest level; at ``alpha = 0``
    it equals the up-sampled output of the previous level. The output is
    linear while training and clipped to [-1, 1] otherwise (the official code
    clips when it converts samples to images).

    Args:
        latent_dim: size of z (pixel-normalized first).
        image_size: the target resolution (a power of two, 4 to 1024).
        channels: image channels.
        base_filters, max_filters: channels per level, see ``filters_at``.
        level: the level ``call`` runs at by default; None = the target.
    """

    def __init__(
        self,
        latent_dim: int,
        image_size: int,
        channels: int = 3,
        base_filters: int = 8192,
        max_filters: int = 512,
        level: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.image_size = image_size
        self.channels = channels
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.num_levels = int(math.log2(image_size)) - 1
        self.level = self.num_levels - 1 if level is None else int(level)
        self.latent_norm = PixelNormalization(dtype=self.dtype_policy)
        self.blocks = [
            GeneratorBlock(
                self.filters(lv),
                first=lv == 0,
                dtype=self.dtype_policy,
                name=f"block_{4 * 2**lv}",
            )
            for lv in range(self.num_levels)
        ]
        self.to_rgb = [
            EqualizedConv2D(
                channels,
                1,
                gain=1.0,
                dtype=self.dtype_policy,
                name=f"to_rgb_{4 * 2**lv}",
            )
            for lv in range(self.num_levels)
        ]

    def filters(self, level: int) -> int:
        return filters_at(level, self.base_filters, self.max_filters)

    def build(self, input_shape):
        batch = input_shape[0]
        self.latent_norm.build((batch, self.latent_dim))
        self.blocks[0].build((batch, self.latent_dim))
        for lv in range(1, self.num_levels):
            res = 2 * 2**lv
            self.blocks[lv].build((batch, res, res, self.filters(lv - 1)))
        for lv, layer in enumerate(self.to_rgb):
            res = 4 * 2**lv
            layer.build((batch, res, res, self.filters(lv)))

    def level_layers(self, level: int, fading: bool) -> list[keras.layers.Layer]:
        """The layers ``call(level=level, alpha=...)`` uses (with fade-in if ``fading``)."""
        layers = [*self.blocks[: level + 1], self.to_rgb[level]]
        if fading and level > 0:
            layers.append(self.to_rgb[level - 1])
        return layers

    def call(self, z, level=None, alpha=None, training=None):
        level = self.level if level is None else level
        x = self.blocks[0](self.latent_norm(z))
        previous = x
        for block in self.blocks[1 : level + 1]:
            previous, x = x, block(x)
        images = self.to_rgb[level](x)
        if alpha is not None and level > 0:
            images = lerp(upscale2d(self.to_rgb[level - 1](previous)), images, alpha)
        if not training:
            images = ops.clip(images, -1.0, 1.0)
        return images

    def compute_output_shape(self, input_shape):
        res = 4 * 2**self.level
        return (input_shape[0], res, res, self.channels)

    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "base_filters": self.base_filters,
            "max_filters": self.max_filters,
            "level": self.level,
        }


def build_generator(config) -> ProGANGenerator:
    """ProGAN's generator for a ``ProGANConfig``, built at its full resolution."""
    generator = ProGANGenerator(config.latent_dim, config.image_size, config.channels,
                                config.base_filters, config.max_filters,
                                name="progan_generator")
    generator.build((None, config.latent_dim))
    return generator

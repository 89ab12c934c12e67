"""``StyleGAN``: StyleGAN2's GAN class (style mixing, truncation in W, EMA) under its own name."""

from __future__ import annotations

import keras
from ganzoo_stylegan2.gan import StyleGAN2


@keras.saving.register_keras_serializable(package="ganzoo_stylegan")
class StyleGAN(StyleGAN2):
    """StyleGAN (Karras, Laine & Aila 2019) on the ganzoo.GAN step.

    Style mixing (``style_mixing_prob``), truncation in W
    (``generate(..., truncation_psi=)``), the tracked mean w and the EMA of G
    work as in :class:`ganzoo_stylegan2.StyleGAN2`; the generator is a
    :class:`ganzoo_stylegan.StyleGANGenerator`.
    """

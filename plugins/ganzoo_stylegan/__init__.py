"""StyleGAN: Karras, Laine & Aila 2019, "A Style-Based Generator Architecture for
Generative Adversarial Networks" (CVPR 2019, arXiv:1812.04948)."""

from ganzoo_stylegan.config import StyleGANConfig
from ganzoo_stylegan.gan import StyleGAN
from ganzoo_stylegan.generator import (
    StyleGANGenerator,
    StyleLayer,
    StyleSynthesisNetwork,
)

__all__ = [
    "StyleGAN",
    "StyleGANConfig",
    "StyleGANGenerator",
    "StyleLayer",
    "StyleSynthesisNetwork",
]

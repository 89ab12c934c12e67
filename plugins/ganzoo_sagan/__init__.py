"""SAGAN: Zhang, Goodfellow, Metaxas & Odena 2019, "Self-Attention Generative
Adversarial Networks" (ICML 2019, arXiv:1805.08318).

Also the base of ``ganzoo_biggan``: the SN ResNet blocks, the projection
discriminator and the shared config fields live here.
"""

from ganzoo_sagan.blocks import GlobalSumPooling2D, attention, down_block, up_block
from ganzoo_sagan.build import build_sagan
from ganzoo_sagan.config import ResNetGANConfig, SAGANConfig
from ganzoo_sagan.discriminator import resnet_discriminator
from ganzoo_sagan.generator import sagan_generator

__all__ = [
    "GlobalSumPooling2D",
    "ResNetGANConfig",
    "SAGANConfig",
    "attention",
    "build_sagan",
    "down_block",
    "resnet_discriminator",
    "sagan_generator",
    "up_block",
]

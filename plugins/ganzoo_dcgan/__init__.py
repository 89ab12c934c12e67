"""DCGAN and the conditional GAN: ``dcgan`` and ``cgan``.

- DCGAN: Radford, Metz & Chintala 2016, "Unsupervised Representation Learning
  with Deep Convolutional Generative Adversarial Networks" (arXiv:1511.06434).
- CGAN: Mirza & Osindero 2014, "Conditional Generative Adversarial Nets"
  (arXiv:1411.1784), here on the DCGAN networks.
"""

from ganzoo_dcgan.build import build_cgan, build_dcgan
from ganzoo_dcgan.config import CGANConfig, DCGANConfig
from ganzoo_dcgan.discriminator import cgan_discriminator, dcgan_discriminator
from ganzoo_dcgan.generator import cgan_generator, dcgan_generator

__all__ = [
    "CGANConfig",
    "DCGANConfig",
    "build_cgan",
    "build_dcgan",
    "cgan_discriminator",
    "cgan_generator",
    "dcgan_discriminator",
    "dcgan_generator",
]

"""The Wasserstein family and LSGAN: ``wgan``, ``wgan-gp`` and ``lsgan``.

- WGAN: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN" (arXiv:1701.07875).
- WGAN-GP: Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"
  (arXiv:1704.00028).
- LSGAN: Mao et al. 2017, "Least Squares Generative Adversarial Networks"
  (arXiv:1611.04076).
"""

from ganzoo_wgan.build import build_lsgan, build_wgan, build_wgan_gp
from ganzoo_wgan.config import LSGANConfig, WGANConfig, WGANGPConfig

__all__ = [
    "LSGANConfig",
    "WGANConfig",
    "WGANGPConfig",
    "build_lsgan",
    "build_wgan",
    "build_wgan_gp",
]

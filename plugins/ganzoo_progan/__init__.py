"""ProGAN: Karras et al. 2018, "Progressive Growing of GANs for Improved Quality,
Stability, and Variation" (ICLR 2018, arXiv:1710.10196)."""

from ganzoo_progan.config import ProGANConfig, filters_at
from ganzoo_progan.discriminator import ProGANDiscriminator
from ganzoo_progan.gan import ProGAN
from ganzoo_progan.generator import ProGANGenerator
from ganzoo_progan.schedule import Phase, Schedule, progan_schedule

__all__ = [
    "Phase",
    "ProGAN",
    "ProGANConfig",
    "ProGANDiscriminator",
    "ProGANGenerator",
    "Schedule",
    "filters_at",
    "progan_schedule",
]

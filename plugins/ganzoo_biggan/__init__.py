"""BigGAN: Brock, Donahue & Simonyan 2019, "Large Scale GAN Training for High
Fidelity Natural Image Synthesis" (ICLR 2019, arXiv:1809.11096).

Builds on ``ganzoo_sagan``: the same SN ResNet blocks and projection
discriminator, with a shared class embedding, hierarchical latents,
orthogonal regularization and an EMA of the generator. The truncation trick
is ``GAN.generate(truncation=...)`` in the core.
"""

from ganzoo_biggan.build import build_biggan
from ganzoo_biggan.config import BigGANConfig
from ganzoo_biggan.generator import biggan_generator
from ganzoo_biggan.latents import LatentSplit, latent_chunk_sizes

__all__ = [
    "BigGANConfig",
    "LatentSplit",
    "biggan_generator",
    "build_biggan",
    "latent_chunk_sizes",
]

"""Hook implementations: the ``biggan`` architecture and its networks."""

from __future__ import annotations

import ganzoo
from ganzoo_biggan.build import (
    biggan_discriminator_from_config,
    biggan_generator_from_config,
    build_biggan,
)
from ganzoo_biggan.config import BigGANConfig

BIGGAN = ganzoo.Architecture(
    name="biggan",
    summary="BigGAN: shared class embedding, hierarchical z, orthogonal reg., EMA",
    paper="Brock, Donahue & Simonyan 2019, Large Scale GAN Training for High "
    "Fidelity Natural Image Synthesis (ICLR 2019, arXiv:1809.11096)",
    config_class=BigGANConfig,
    build=build_biggan,
)


@ganzoo.hookimpl
def register_architectures(register):
    register(BIGGAN.name, BIGGAN)


@ganzoo.hookimpl
def register_generators(register):
    register("biggan", biggan_generator_from_config)


@ganzoo.hookimpl
def register_discriminators(register):
    register("biggan", biggan_discriminator_from_config)

"""Hook implementations: the ``sagan`` architecture and its networks."""

from __future__ import annotations

import ganzoo
from ganzoo_sagan.build import (
    build_sagan,
    discriminator_from_config,
    sagan_generator_from_config,
)
from ganzoo_sagan.config import SAGANConfig

SAGAN = ganzoo.Architecture(
    name="sagan",
    summary="Self-attention GAN: SN ResNets, self-attention, hinge loss, TTUR",
    paper="Zhang, Goodfellow, Metaxas & Odena 2019, Self-Attention Generative "
    "Adversarial Networks (ICML 2019, arXiv:1805.08318)",
    config_class=SAGANConfig,
    build=build_sagan,
)


@ganzoo.hookimpl
def register_architectures(register):
    register(SAGAN.name, SAGAN)


@ganzoo.hookimpl
def register_generators(register):
    register("sagan", sagan_generator_from_config)


@ganzoo.hookimpl
def register_discriminators(register):
    register("sagan", discriminator_from_config)

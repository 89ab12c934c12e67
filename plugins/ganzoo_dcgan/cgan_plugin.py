"""Hook implementations of the ``cgan`` entry point: the architecture and its networks."""

from __future__ import annotations

import ganzoo
from ganzoo_dcgan import build as builders
from ganzoo_dcgan.config import CGANConfig

CGAN = ganzoo.Architecture(
    name="cgan",
    summary="Class-conditional GAN on the DCGAN networks (label into G and D)",
    paper="Mirza & Osindero 2014, Conditional Generative Adversarial Nets "
    "(arXiv:1411.1784)",
    config_class=CGANConfig,
    build=builders.build_cgan,
)


@ganzoo.hookimpl
def register_architectures(register):
    register(CGAN.name, CGAN)


@ganzoo.hookimpl
def register_generators(register):
    register("cgan", builders.build_cgan_generator)


@ganzoo.hookimpl
def register_discriminators(register):
    register("cgan", builders.build_cgan_discriminator)

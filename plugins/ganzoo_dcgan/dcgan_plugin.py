"""Hook implementations of the ``dcgan`` entry point: the architecture and its networks."""

from __future__ import annotations

import ganzoo
from ganzoo_dcgan import build as builders
from ganzoo_dcgan.config import DCGANConfig

DCGAN = ganzoo.Architecture(
    name="dcgan",
    summary="Deep convolutional GAN: strided convs, batch norm, Adam(2e-4, 0.5)",
    paper="Radford, Metz & Chintala 2016, Unsupervised Representation Learning "
    "with Deep Convolutional Generative Adversarial Networks (arXiv:1511.06434)",
    config_class=DCGANConfig,
    build=builders.build_dcgan,
)


@ganzoo.hookimpl
def register_architectures(register):
    register(DCGAN.name, DCGAN)


@ganzoo.hookimpl
def register_generators(register):
    register("dcgan", builders.build_dcgan_generator)


@ganzoo.hookimpl
def register_discriminators(register):
    register("dcgan", builders.build_dcgan_discriminator)

"""Hook implementations: the ``wgan``, ``wgan-gp`` and ``lsgan`` architectures."""

from __future__ import annotations

import ganzoo
from ganzoo_wgan import build as builders
from ganzoo_wgan.config import LSGANConfig, WGANConfig, WGANGPConfig

ARCHITECTURES = [
    ganzoo.Architecture(
        name="wgan",
        summary="Wasserstein GAN: weight-clipped critic, RMSProp, 5 critic steps",
        paper="Arjovsky, Chintala & Bottou 2017, Wasserstein GAN (arXiv:1701.07875)",
        config_class=WGANConfig,
        build=builders.build_wgan,
    ),
    ganzoo.Architecture(
        name="wgan-gp",
        summary="WGAN with gradient penalty; DCGAN or ResNet critic",
        paper="Gulrajani et al. 2017, Improved Training of Wasserstein GANs "
        "(arXiv:1704.00028)",
        config_class=WGANGPConfig,
        build=builders.build_wgan_gp,
    ),
    ganzoo.Architecture(
        name="lsgan",
        summary="Least-squares GAN (a=0, b=c=1) on a DCGAN backbone",
        paper="Mao et al. 2017, Least Squares Generative Adversarial Networks "
        "(arXiv:1611.04076)",
        config_class=LSGANConfig,
        build=builders.build_lsgan,
    ),
]


@ganzoo.hookimpl
def register_architectures(register):
    for arch in ARCHITECTURES:
        register(arch.name, arch)


@ganzoo.hookimpl
def register_generators(register):
    register("wgan", builders.wgan_generator)
    register("wgan-gp", builders.wgan_gp_generator)
    register("lsgan", builders.lsgan_generator)


@ganzoo.hookimpl
def register_discriminators(register):
    register("wgan", builders.wgan_critic)
    register("wgan-gp", builders.wgan_gp_critic)
    register("lsgan", builders.lsgan_discriminator)

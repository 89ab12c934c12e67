"""Builders: config -> networks -> compiled ``ganzoo.GAN`` with the paper's training setup."""

from __future__ import annotations

from typing import Any

import keras

import ganzoo
from ganzoo_dcgan.config import CGANConfig, DCGANConfig
from ganzoo_dcgan.discriminator import cgan_discriminator, dcgan_discriminator
from ganzoo_dcgan.generator import cgan_generator, dcgan_generator


# -- networks from a config (also registered on their own, to pair freely) ---
def build_dcgan_generator(config: DCGANConfig) -> keras.Model:
    return dcgan_generator(
        config.latent_dim,
        config.image_size,
        config.channels,
        config.base_filters,
        config.kernel_size,
    )


def build_dcgan_discriminator(config: DCGANConfig) -> keras.Model:
    return dcgan_discriminator(
        config.image_size, config.channels, config.base_filters, config.kernel_size
    )


def build_cgan_generator(config: CGANConfig) -> keras.Model:
    return cgan_generator(
        config.latent_dim,
        config.num_classes,
        config.image_size,
        config.channels,
        config.base_filters,
        config.kernel_size,
        config.label_dim,
    )


def build_cgan_discriminator(config: CGANConfig) -> keras.Model:
    return cgan_discriminator(
        config.num_classes,
        config.image_size,
        config.channels,
        config.base_filters,
        config.kernel_size,
    )


# -- architectures -------------------------------------------------------------
def compile_defaults(config: DCGANConfig) -> dict[str, Any]:
    """Adam(lr, beta_1) for G and D and the non-saturating loss (Section 4).

    Stored with the GAN, so ``gan.compile(loss=...)`` keeps the paper's
    optimizers and a saved model reloads with them.
    """
    adam = {
        "class_name": "Adam",
        "config": {"learning_rate": config.learning_rate, "beta_1": config.beta_1},
    }
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": "non_saturating"}


def _gan(generator, discriminator, config: DCGANConfig) -> ganzoo.GAN:
    gan = ganzoo.GAN(
        generator,
        discriminator,
        config.latent_dim,
        num_classes=config.num_classes,
        compile_defaults=compile_defaults(config),
        seed=config.seed,
    )
    gan.compile()
    return gan


def build_dcgan(config: DCGANConfig) -> ganzoo.GAN:
    """DCGAN: the all-convolutional G and D of Radford et al. 2016."""
    return _gan(
        build_dcgan_generator(config), build_dcgan_discriminator(config), config
    )


def build_cgan(config: CGANConfig) -> ganzoo.GAN:
    """CGAN: Mirza & Osindero 2014's label conditioning on the DCGAN networks."""
    return _gan(build_cgan_generator(config), build_cgan_discriminator(config), config)

"""Builders: SAGAN config -> networks -> compiled ``ganzoo.GAN``."""

from __future__ import annotations

import keras

import ganzoo
from ganzoo_sagan.channels import widths
from ganzoo_sagan.config import ResNetGANConfig, SAGANConfig
from ganzoo_sagan.discriminator import resnet_discriminator
from ganzoo_sagan.generator import sagan_generator

INITIALIZER = "glorot_uniform"  # Xavier, as in the official SAGAN code


def sagan_generator_from_config(config: SAGANConfig) -> keras.Model:
    return sagan_generator(
        config.latent_dim,
        config.channels,
        widths(config.base_filters, config.g_multipliers),
        config.num_classes,
        config.resolved_attention_resolution,
        INITIALIZER,
    )


def discriminator_from_config(
    config: ResNetGANConfig, initializer=INITIALIZER, name="sagan_discriminator"
) -> keras.Model:
    """The SN ResNet projection discriminator (SAGAN's and BigGAN's)."""
    return resnet_discriminator(
        config.image_size,
        config.channels,
        widths(config.base_filters, config.d_multipliers),
        config.num_classes,
        config.resolved_attention_resolution,
        initializer,
        name=name,
    )


def adam_pair(config: ResNetGANConfig) -> tuple[keras.optimizers.Adam, ...]:
    """Two Adams with the two time-scale update rule (Heusel et al. 2017)."""
    return tuple(
        keras.optimizers.Adam(
            rate, config.beta_1, config.beta_2, epsilon=config.adam_epsilon
        )
        for rate in (config.g_learning_rate, config.d_learning_rate)
    )


def build_sagan(config: SAGANConfig) -> ganzoo.GAN:
    """SAGAN: hinge loss, TTUR Adam(1e-4 / 4e-4, beta = (0, 0.9))."""
    gan = ganzoo.GAN(
        sagan_generator_from_config(config),
        discriminator_from_config(config),
        config.latent_dim,
        num_classes=config.num_classes,
        seed=config.seed,
    )
    g_optimizer, d_optimizer = adam_pair(config)
    gan.compile(g_optimizer, d_optimizer, loss="hinge", d_steps=config.d_steps)
    return gan

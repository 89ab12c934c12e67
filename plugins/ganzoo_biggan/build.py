"""Builders: BigGAN config -> networks -> compiled ``ganzoo.GAN``."""

from __future__ import annotations

import keras
from ganzoo_sagan.build import adam_pair, discriminator_from_config
from ganzoo_sagan.channels import widths

import ganzoo
from ganzoo_biggan.config import BigGANConfig
from ganzoo_biggan.generator import biggan_generator

INITIALIZER = "orthogonal"  # BigGAN-PyTorch's G_init/D_init "ortho"


def biggan_generator_from_config(config: BigGANConfig) -> keras.Model:
    return biggan_generator(
        config.latent_dim,
        config.channels,
        widths(config.base_filters, config.g_multipliers),
        config.num_classes,
        config.shared_dim,
        config.resolved_attention_resolution,
        INITIALIZER,
    )


def biggan_discriminator_from_config(config: BigGANConfig) -> keras.Model:
    """SAGAN's SN ResNet projection discriminator, orthogonally initialised."""
    return discriminator_from_config(config, INITIALIZER, name="biggan_discriminator")


def build_biggan(config: BigGANConfig) -> ganzoo.GAN:
    """BigGAN: hinge loss, TTUR Adam, 2 D steps, orthogonal reg. on G, EMA of G."""
    gan = ganzoo.GAN(
        biggan_generator_from_config(config),
        biggan_discriminator_from_config(config),
        config.latent_dim,
        num_classes=config.num_classes,
        use_ema=True,
        seed=config.seed,
    )
    g_optimizer, d_optimizer = adam_pair(config)
    regularizers = []
    if config.orthogonal_weight:
        regularizers.append({"name": "orthogonal", "weight": config.orthogonal_weight})
    gan.compile(
        g_optimizer,
        d_optimizer,
        loss="hinge",
        regularizers=regularizers,
        d_steps=config.d_steps,
        ema_decay=config.ema_decay,
        ema_start=config.ema_start,
    )
    return gan

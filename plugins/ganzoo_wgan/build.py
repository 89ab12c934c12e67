"""Builders: config -> networks -> compiled ``ganzoo.GAN`` with the paper's training setup."""

from __future__ import annotations

import keras
from ganzoo_dcgan import dcgan_discriminator, dcgan_generator

import ganzoo
from ganzoo.constraints import WeightClip
from ganzoo_wgan.config import LSGANConfig, WGANConfig, WGANGPConfig
from ganzoo_wgan.critic import dcgan_critic
from ganzoo_wgan.resnet import resnet_critic, resnet_generator


# -- networks (also registered on their own, so they can be paired freely) ----
# WGAN and LSGAN use DCGAN's networks (ganzoo_dcgan) unchanged; WGAN-GP keeps
# DCGAN's generator and replaces the batch-normalized discriminator.
def _dcgan_networks(generator_name: str, discriminator_name: str):
    """DCGAN's G and D builders for a config with DCGAN's fields, under new names."""

    def generator(config: WGANConfig | LSGANConfig) -> keras.Model:
        return dcgan_generator(config.latent_dim, config.image_size, config.channels,
                               config.filters, config.kernel_size, name=generator_name)

    def discriminator(config: WGANConfig | LSGANConfig) -> keras.Model:
        return dcgan_discriminator(config.image_size, config.channels, config.filters,
                                   config.kernel_size, name=discriminator_name)

    return generator, discriminator


wgan_generator, wgan_critic = _dcgan_networks("wgan_generator", "wgan_critic")
lsgan_generator, lsgan_discriminator = _dcgan_networks("lsgan_generator", "lsgan_discriminator")


def wgan_gp_generator(config: WGANGPConfig) -> keras.Model:
    filters = config.resolved_filters
    if config.critic == "resnet":
        return resnet_generator(
            config.latent_dim,
            config.image_size,
            config.channels,
            filters,
            name="wgan_gp_resnet_generator",
        )
    # The reference gan_cifar.py: 5x5 kernels, batch norm in G only.
    return dcgan_generator(
        config.latent_dim,
        config.image_size,
        config.channels,
        filters,
        5,
        name="wgan_gp_generator",
    )


def wgan_gp_critic(config: WGANGPConfig) -> keras.Model:
    filters = config.resolved_filters
    if config.critic == "resnet":
        return resnet_critic(
            config.image_size,
            config.channels,
            filters,
            config.critic_norm,
            name="wgan_gp_resnet_critic",
        )
    return dcgan_critic(
        config.image_size,
        config.channels,
        filters,
        5,
        norm=config.critic_norm,
        name="wgan_gp_critic",
    )


# -- architectures -------------------------------------------------------------
def build_wgan(config: WGANConfig) -> ganzoo.GAN:
    """WGAN: RMSProp, weight clipping to [-c, c], n_critic critic steps per G step."""
    gan = ganzoo.GAN(
        wgan_generator(config), wgan_critic(config), config.latent_dim, seed=config.seed
    )

    def rmsprop():
        # rho and epsilon of the reference code's torch.optim.RMSprop.
        return keras.optimizers.RMSprop(config.learning_rate, rho=0.99, epsilon=1e-8)

    gan.compile(
        rmsprop(),
        rmsprop(),
        loss="wasserstein",
        d_constraint=WeightClip(config.clip),
        d_steps=config.d_steps,
    )
    return gan


def build_wgan_gp(config: WGANGPConfig) -> ganzoo.GAN:
    """WGAN-GP: Adam(1e-4, 0, 0.9), gradient penalty lambda = 10, n_critic = 5."""
    gan = ganzoo.GAN(
        wgan_gp_generator(config),
        wgan_gp_critic(config),
        config.latent_dim,
        seed=config.seed,
    )

    def adam():
        return keras.optimizers.Adam(config.learning_rate, config.beta_1, config.beta_2)

    regularizers = (
        [{"name": "gp", "weight": config.gp_weight}] if config.gp_weight else []
    )
    gan.compile(
        adam(),
        adam(),
        loss="wasserstein",
        regularizers=regularizers,
        d_steps=config.d_steps,
    )
    return gan


def build_lsgan(config: LSGANConfig) -> ganzoo.GAN:
    """LSGAN: least-squares loss with a=0, b=c=1; Adam(2e-4, 0.5)."""
    gan = ganzoo.GAN(
        lsgan_generator(config),
        lsgan_discriminator(config),
        config.latent_dim,
        seed=config.seed,
    )

    def adam():
        return keras.optimizers.Adam(config.learning_rate, config.beta_1)

    gan.compile(
        adam(), adam(), loss="least_squares", label_smoothing=config.label_smoothing
    )
    return gan

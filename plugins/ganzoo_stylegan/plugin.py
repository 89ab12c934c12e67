"""Hook implementations and the builder of the ``stylegan`` architecture.

Networks and Keras are imported inside the functions, so ``ganzoo list``
reads this module without a backend.
"""

from __future__ import annotations

import ganzoo
from ganzoo_stylegan.config import StyleGANConfig


def build_generator(config: StyleGANConfig):
    from ganzoo_stylegan.generator import StyleGANGenerator

    generator = StyleGANGenerator(
        config.latent_dim, config.image_size, config.channels, config.w_dim,
        config.mapping_layers, config.base_filters, config.max_filters,
        config.mapping_lr_multiplier, config.w_avg_beta, name="stylegan_generator",
    )
    generator.build((None, config.latent_dim))
    return generator


def build_discriminator(config: StyleGANConfig):
    # The ProGAN/StyleGAN discriminator: StyleGAN2's plain ("orig") one.
    from ganzoo_stylegan2.discriminator import StyleGAN2Discriminator

    discriminator = StyleGAN2Discriminator(
        config.image_size, config.channels, config.base_filters, config.max_filters,
        "orig", config.mbstd_group_size, name="stylegan_discriminator",
    )
    discriminator.build((None, config.image_size, config.image_size, config.channels))
    return discriminator


def build(config: StyleGANConfig):
    """Non-saturating loss + R1 (gamma 10, every step), Adam(1e-3, 0, 0.99, 1e-8),
    EMA of G (10 kimg half-life), style mixing 0.9."""
    from ganzoo_stylegan.gan import StyleGAN

    adam = {"class_name": "Adam", "config": {
        "learning_rate": config.learning_rate, "beta_1": config.beta_1,
        "beta_2": config.beta_2, "epsilon": config.epsilon}}
    regularizers = [{"name": "r1", "weight": config.r1_gamma}] if config.r1_gamma else []
    defaults = {"g_optimizer": adam, "d_optimizer": adam, "loss": "non_saturating",
                "regularizers": regularizers, "d_steps": 1,
                "ema_decay": 0.999}  # unused: the decay follows ema_kimg
    gan = StyleGAN(
        build_generator(config), build_discriminator(config), config.latent_dim,
        style_mixing_prob=config.style_mixing_prob, ema_kimg=config.ema_kimg,
        ema_rampup=0.0, images_per_step=config.batch_size, use_ema=True,
        compile_defaults=defaults, seed=config.seed,
    )
    gan.compile()
    return gan


ARCHITECTURE = ganzoo.Architecture(
    name="stylegan",
    summary="Style-based generator: mapping network, AdaIN, noise, style mixing, "
    "truncation in W",
    paper="Karras, Laine & Aila 2019, A Style-Based Generator Architecture for "
    "Generative Adversarial Networks (CVPR 2019, arXiv:1812.04948)",
    config_class=StyleGANConfig,
    build=build,
)


@ganzoo.hookimpl
def register_architectures(register):
    register("stylegan", ARCHITECTURE)

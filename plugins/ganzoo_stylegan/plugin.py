"""The ``stylegan`` entry point: compile defaults, build, architecture, hooks.

Imports no backend: ``build`` imports the networks and the ``StyleGAN`` model
when it runs.
"""

from __future__ import annotations

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_stylegan.config import PRESETS, StyleGANConfig


def compile_defaults(config: StyleGANConfig) -> dict:
    """Non-saturating loss + R1 (gamma 10, every step), Adam(1e-3, 0, 0.99, 1e-8)."""

    def adam():
        return optimizer_config("Adam", learning_rate=config.learning_rate,
                                beta_1=config.beta_1, beta_2=config.beta_2,
                                epsilon=config.epsilon)

    regularizers = [{"name": "r1", "weight": config.r1_gamma}] if config.r1_gamma else []
    return {"g_optimizer": adam(), "d_optimizer": adam(), "loss": "non_saturating",
            "regularizers": regularizers, "d_steps": 1,
            # Keeps an EMA of G; its decay per step follows ema_kimg.
            "ema_decay": 0.999}


def build(config: StyleGANConfig):
    """The AdaIN generator and ProGAN's D -> a compiled ``StyleGAN`` (style mixing,
    an EMA of G with a half-life of ``ema_kimg`` thousand images, no ramp-up)."""
    from ganzoo_stylegan.discriminator import build_discriminator
    from ganzoo_stylegan.gan import StyleGAN
    from ganzoo_stylegan.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config), gan_class=StyleGAN,
                        style_mixing_prob=config.style_mixing_prob, ema_kimg=config.ema_kimg,
                        ema_rampup=0.0, images_per_step=config.batch_size)


STYLEGAN = Architecture(
    "stylegan",
    "Style-based generator: mapping network, AdaIN, noise, style mixing, truncation in W",
    "Karras, Laine & Aila 2019, A Style-Based Generator Architecture for Generative "
    "Adversarial Networks (CVPR 2019, arXiv:1812.04948)",
    StyleGANConfig, build, presets=PRESETS)


@hookimpl
def register_architectures(register):
    register(STYLEGAN)


@hookimpl
def register_importers(register):
    from ganzoo.importers import Importer
    from ganzoo_stylegan import importer

    register(Importer(importer.FORMAT, importer.DESCRIPTION, importer.load_gan))

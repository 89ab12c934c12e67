"""The ``stylegan2`` entry point: compile defaults, build, architecture, hooks.

Imports no backend: ``build`` imports the networks and the ``StyleGAN2``
model, and ``register_regularizers`` the path-length regularizer, when they run.
"""

from __future__ import annotations

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_stylegan2.config import PRESETS, StyleGAN2Config


def regularizer_configs(config: StyleGAN2Config) -> list[dict]:
    """Lazy R1 on D (gamma, every r1_interval) and path length on G (if pl_weight > 0)."""
    out = []
    if config.r1_gamma > 0:
        out.append({"name": "r1", "weight": config.r1_gamma, "interval": config.r1_interval})
    if config.pl_weight > 0:
        out.append({"name": "path_length", "weight": config.pl_weight,
                    "interval": config.pl_interval, "batch_shrink": config.pl_batch_shrink,
                    "decay": config.pl_decay})
    return out


def compile_defaults(config: StyleGAN2Config) -> dict:
    """Non-saturating loss, lazy R1 + path length, Adam(lr, 0, 0.99, 1e-8) for G and D,
    rescaled by interval/(interval+1) for the lazy phases (``lazy_rescale``); G's phases
    first and gradients sanitized, as in stylegan2-ada-pytorch."""

    def adam():
        return optimizer_config("Adam", learning_rate=config.learning_rate,
                                beta_1=config.beta_1, beta_2=config.beta_2,
                                epsilon=config.epsilon)

    return {"g_optimizer": adam(), "d_optimizer": adam(), "loss": "non_saturating",
            "regularizers": regularizer_configs(config), "d_steps": 1, "lazy_rescale": True,
            # Keeps an EMA of G; its decay per step follows ema_kimg/ema_rampup.
            "ema_decay": 0.999,
            # The reference's step: Gmain, Greg, Dmain, Dreg, NaN/inf gradients replaced.
            "generator_first": True, "sanitize_gradients": True}


def build(config: StyleGAN2Config):
    """The mapping + synthesis generator and the residual D -> a compiled ``StyleGAN2``
    (style mixing, the EMA half-life in images)."""
    from ganzoo_stylegan2.discriminator import build_discriminator
    from ganzoo_stylegan2.gan import StyleGAN2
    from ganzoo_stylegan2.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config), gan_class=StyleGAN2,
                        style_mixing_prob=config.style_mixing_prob, ema_kimg=config.ema_kimg,
                        ema_rampup=config.ema_rampup, images_per_step=config.batch_size)


STYLEGAN2 = Architecture(
    "stylegan2",
    "Style-based generator with weight demodulation, skip G, residual D, "
    "lazy R1 + path length",
    "Karras, Laine, Aittala, Hellsten, Lehtinen & Aila 2020, Analyzing and "
    "Improving the Image Quality of StyleGAN (CVPR 2020, arXiv:1912.04958); settings "
    "of stylegan2-ada-pytorch (Karras et al. 2020, arXiv:2006.06676)",
    StyleGAN2Config, build, presets=PRESETS)


@hookimpl
def register_architectures(register):
    register(STYLEGAN2)


@hookimpl
def register_regularizers(register):
    from ganzoo_stylegan2.regularizers import PathLengthPenalty

    register(PathLengthPenalty)


@hookimpl
def register_importers(register):
    from ganzoo.importers import Importer
    from ganzoo_stylegan2 import importer

    register(Importer(importer.FORMAT, importer.DESCRIPTION, importer.load_gan))

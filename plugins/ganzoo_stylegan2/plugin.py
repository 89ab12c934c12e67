"""Hook implementations and the builder of the ``stylegan2`` architecture.

Networks and Keras are imported inside the functions, so ``ganzoo list``
reads this module without a backend.
"""

from __future__ import annotations

import ganzoo
from ganzoo_stylegan2.config import StyleGAN2Config


def lazy_adam(config: StyleGAN2Config, interval: int) -> dict:
    """Adam with lr and betas rescaled for lazy regularization every ``interval``
    steps: lr * k/(k+1), beta ** (k/(k+1)) (Karras et al. 2020, Appendix B)."""
    ratio = interval / (interval + 1)
    return {
        "class_name": "Adam",
        "config": {
            "learning_rate": config.learning_rate * ratio,
            "beta_1": config.beta_1**ratio,
            "beta_2": config.beta_2**ratio,
            "epsilon": config.epsilon,
        },
    }


def regularizers(config: StyleGAN2Config) -> list[dict]:
    """Lazy R1 on D (gamma, every r1_interval) and path length on G (if pl_weight > 0)."""
    out = []
    if config.r1_gamma > 0:
        out.append({"name": "r1", "weight": config.r1_gamma, "interval": config.r1_interval})
    if config.pl_weight > 0:
        out.append({"name": "path_length", "weight": config.pl_weight,
                    "interval": config.pl_interval, "batch_shrink": config.pl_batch_shrink,
                    "decay": config.pl_decay})
    return out


def build_generator(config: StyleGAN2Config):
    from ganzoo_stylegan2.generator import StyleGAN2Generator

    generator = StyleGAN2Generator(
        config.latent_dim, config.image_size, config.channels, config.w_dim,
        config.mapping_layers, config.base_filters, config.max_filters,
        config.mapping_lr_multiplier, config.w_avg_beta, name="stylegan2_generator",
    )
    generator.build((None, config.latent_dim))
    return generator


def build_discriminator(config: StyleGAN2Config):
    from ganzoo_stylegan2.discriminator import StyleGAN2Discriminator

    discriminator = StyleGAN2Discriminator(
        config.image_size, config.channels, config.base_filters, config.max_filters,
        config.d_architecture, config.mbstd_group_size, name="stylegan2_discriminator",
    )
    discriminator.build((None, config.image_size, config.image_size, config.channels))
    return discriminator


def build(config: StyleGAN2Config):
    """Non-saturating loss, lazy R1 + path length, Adam(lr, 0, 0.99, 1e-8) rescaled
    for lazy regularization, EMA of G with ramp-up, style mixing."""
    from ganzoo_stylegan2.gan import StyleGAN2

    defaults = {
        "g_optimizer": lazy_adam(config, config.pl_interval),
        "d_optimizer": lazy_adam(config, config.r1_interval),
        "loss": "non_saturating",
        "regularizers": regularizers(config),
        "d_steps": 1,
        "ema_decay": 0.999,  # unused: the decay follows ema_kimg and ema_rampup
    }
    gan = StyleGAN2(
        build_generator(config), build_discriminator(config), config.latent_dim,
        style_mixing_prob=config.style_mixing_prob, ema_kimg=config.ema_kimg,
        ema_rampup=config.ema_rampup, images_per_step=config.batch_size,
        use_ema=True, compile_defaults=defaults, seed=config.seed,
    )
    gan.compile()
    return gan


ARCHITECTURE = ganzoo.Architecture(
    name="stylegan2",
    summary="Style-based generator with weight demodulation, skip G, residual D, "
    "lazy R1 + path length",
    paper="Karras, Laine, Aittala, Hellsten, Lehtinen & Aila 2020, Analyzing and "
    "Improving the Image Quality of StyleGAN (CVPR 2020, arXiv:1912.04958); settings "
    "of stylegan2-ada-pytorch (Karras et al. 2020, arXiv:2006.06676)",
    config_class=StyleGAN2Config,
    build=build,
)


@ganzoo.hookimpl
def register_architectures(register):
    register("stylegan2", ARCHITECTURE)


@ganzoo.hookimpl
def register_regularizers(register):
    from ganzoo_stylegan2.regularizers import PathLengthPenalty

    register(PathLengthPenalty.name, PathLengthPenalty)

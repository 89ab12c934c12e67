"""Hook implementations and the builder of the ``progan`` architecture."""

from __future__ import annotations

import keras

import ganzoo
from ganzoo_progan.config import ProGANConfig
from ganzoo_progan.discriminator import ProGANDiscriminator
from ganzoo_progan.gan import ProGAN
from ganzoo_progan.generator import ProGANGenerator
from ganzoo_progan.schedule import Schedule, progan_schedule


def build_generator(config: ProGANConfig) -> ProGANGenerator:
    generator = ProGANGenerator(
        config.latent_dim,
        config.image_size,
        config.channels,
        config.base_filters,
        config.max_filters,
        name="progan_generator",
    )
    generator.build((None, config.latent_dim))
    return generator


def build_discriminator(config: ProGANConfig) -> ProGANDiscriminator:
    discriminator = ProGANDiscriminator(
        config.image_size,
        config.channels,
        config.base_filters,
        config.max_filters,
        config.minibatch_group_size,
        name="progan_discriminator",
    )
    size = config.image_size
    discriminator.build((None, size, size, config.channels))
    return discriminator


def build(config: ProGANConfig) -> ProGAN:
    """WGAN-GP (lambda 10) + drift 0.001, Adam(1e-3, 0, 0.99), EMA 0.999 of G."""
    gan = ProGAN(
        build_generator(config),
        build_discriminator(config),
        config.latent_dim,
        schedule=progan_schedule(config),
        use_ema=True,
        seed=config.seed,
    )

    def adam():
        return keras.optimizers.Adam(
            config.learning_rate, config.beta_1, config.beta_2, epsilon=config.epsilon
        )

    gan.compile(
        adam(),
        adam(),
        loss="wasserstein",
        regularizers=[
            {"name": "gp", "weight": config.gp_weight},
            {"name": "drift", "weight": config.drift_weight},
        ],
        d_steps=config.d_steps,
        ema_decay=config.ema_decay,
    )
    return gan


class EnterPhase:
    """``TrainingPhase.enter``: hand the GAN the schedule, move it to its step's phase."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule

    def __call__(self, gan) -> None:
        if not isinstance(gan, ProGAN):
            raise ganzoo.GanzooError(
                f"ProGAN's phases need a ProGAN model, got {type(gan).__name__}"
            )
        gan.set_schedule(self.schedule)


def phases(config: ProGANConfig, total_steps: int | None) -> list[ganzoo.TrainingPhase]:
    """A 4x4 phase, then fade-in and stabilization per level (see ``schedule``)."""
    schedule = progan_schedule(config, total_steps)
    enter = EnterPhase(schedule)
    return [
        ganzoo.TrainingPhase(p.name, p.steps, p.image_size, p.batch_size, enter)
        for p in schedule.phases
    ]


ARCHITECTURE = ganzoo.Architecture(
    name="progan",
    summary="Progressive growing from 4x4, equalized LR, pixel norm, minibatch stddev",
    paper="Karras et al. 2018, Progressive Growing of GANs for Improved Quality, "
    "Stability, and Variation (ICLR 2018, arXiv:1710.10196)",
    config_class=ProGANConfig,
    build=build,
    phases=phases,
)


@ganzoo.hookimpl
def register_architectures(register):
    register("progan", ARCHITECTURE)


@ganzoo.hookimpl
def register_generators(register):
    register("progan", build_generator)


@ganzoo.hookimpl
def register_discriminators(register):
    register("progan", build_discriminator)

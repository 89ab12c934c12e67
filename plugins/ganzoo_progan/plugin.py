"""The ``progan`` entry point: hooks, architecture, build and training phases.

Imports no backend: the architecture's build imports the networks and the ProGAN model.
"""

from ganzoo import architecture
from ganzoo.errors import GanzooError
from ganzoo_progan.config import PRESETS, ProGANConfig
from ganzoo_progan.schedule import Schedule, progan_schedule


def compile_defaults(config: ProGANConfig) -> dict:
    """WGAN-GP (lambda 10) + drift 0.001, Adam(1e-3, 0, 0.99), EMA 0.999 of G."""
    adam = architecture.optimizer_config(
        "Adam", learning_rate=config.learning_rate, beta_1=config.beta_1,
        beta_2=config.beta_2, epsilon=config.epsilon)
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": "wasserstein",
            "regularizers": [{"name": "gp", "weight": config.gp_weight},
                             {"name": "drift", "weight": config.drift_weight}],
            "d_steps": config.d_steps, "ema_decay": config.ema_decay}


def gan_kwargs(config: ProGANConfig) -> dict:
    """The ``ProGAN`` model's own argument: its growth schedule."""
    return {"schedule": progan_schedule(config)}


class EnterPhase:
    """``TrainingPhase.enter``: hand the GAN the schedule, move it to its step's phase."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule

    def __call__(self, gan) -> None:
        if not hasattr(gan, "set_schedule"):
            raise GanzooError(
                f"ProGAN's phases need a ProGAN model, got {type(gan).__name__}; "
                "build it with ganzoo.build('progan')"
            )
        gan.set_schedule(self.schedule)


def phases(config: ProGANConfig, total_steps: int | None) -> list:
    """A 4x4 phase, then fade-in and stabilization per level (see ``schedule``)."""
    schedule = progan_schedule(config, total_steps)
    enter = EnterPhase(schedule)
    return [architecture.TrainingPhase(p.name, p.steps, p.image_size, p.batch_size, enter)
            for p in schedule.phases]


# Growing networks -> a compiled ``ProGAN`` (a ``ganzoo.GAN``).
register_architectures = architecture.architectures_hook(architecture.Architecture(
    "progan", "Progressive growing from 4x4, equalized LR, pixel norm, minibatch stddev",
    "Karras et al. 2018, Progressive Growing of GANs for Improved Quality, Stability, "
    "and Variation (ICLR 2018, arXiv:1710.10196)", ProGANConfig,
    architecture.builder(compile_defaults, "ProGAN", gan_kwargs), phases=phases,
    presets=PRESETS))

"""The ``progan`` entry point: compile defaults, build, training stages, architecture, hooks
(and the ``pytorch-gan-zoo-pgan`` importer).

Imports no backend: ``build`` imports the networks and the ``ProGAN`` model,
``register_importers`` the importer, when they run.
"""

from ganzoo.architecture import Architecture, Stage, compiled_gan, optimizer_config
from ganzoo.errors import GanzooError
from ganzoo.hookspecs import hookimpl
from ganzoo_progan.config import PRESETS, ProGANConfig
from ganzoo_progan.schedule import Schedule, progan_schedule


def compile_defaults(config: ProGANConfig) -> dict:
    """WGAN-GP (lambda 10) + drift 0.001, Adam(1e-3, 0, 0.99), EMA 0.999 of G."""
    adam = optimizer_config("Adam", learning_rate=config.learning_rate, beta_1=config.beta_1,
                            beta_2=config.beta_2, epsilon=config.epsilon)
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": "wasserstein",
            "regularizers": [{"name": "gp", "weight": config.gp_weight},
                             {"name": "drift", "weight": config.drift_weight}],
            "d_steps": config.d_steps, "ema_decay": config.ema_decay}


def build(config: ProGANConfig):
    """The growing networks -> a compiled ``ProGAN`` with the paper's growth schedule."""
    from ganzoo_progan.discriminator import build_discriminator
    from ganzoo_progan.gan import ProGAN
    from ganzoo_progan.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config), gan_class=ProGAN,
                        schedule=progan_schedule(config))


class EnterStage:
    """``Stage.enter``: hand the GAN the schedule, move it to its step's growth stage."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule

    def __call__(self, gan) -> None:
        if not hasattr(gan, "set_schedule"):
            raise GanzooError(
                f"ProGAN's training stages need a ProGAN model, got {type(gan).__name__}; "
                "build it with ganzoo.build('progan')"
            )
        gan.set_schedule(self.schedule)


def stages(config: ProGANConfig, total_steps: int | None) -> list[Stage]:
    """A 4x4 stage, then fade-in and stabilization per level (see ``schedule``)."""
    schedule = progan_schedule(config, total_steps)
    enter = EnterStage(schedule)
    return [Stage(s.name, s.steps, s.image_size, s.batch_size, enter) for s in schedule.stages]


PROGAN = Architecture(
    "progan", "Progressive growing from 4x4, equalized LR, pixel norm, minibatch stddev",
    "Karras et al. 2018, Progressive Growing of GANs for Improved Quality, Stability, "
    "and Variation (ICLR 2018, arXiv:1710.10196)",
    ProGANConfig, build, stages=stages, presets=PRESETS)


@hookimpl
def register_architectures(register):
    register(PROGAN)


@hookimpl
def register_importers(register):
    from ganzoo.importers import Importer
    from ganzoo_progan import importer

    register(Importer(importer.FORMAT, importer.DESCRIPTION, importer.load_gan))

"""The ``mlp2d`` entry point: compile defaults, build, architecture, hooks.

Imports no backend (``ganzoo list`` reads it without one): ``build`` imports
the networks, and ``register_regularizers`` the regularizer, when they run.
"""

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_mlp2d.config import PRESETS, MLP2DConfig


def compile_defaults(config: MLP2DConfig) -> dict:
    """Adam for G and D, the configured loss, penalties and critic steps."""
    adam = optimizer_config("Adam", learning_rate=config.learning_rate,
                            beta_1=config.beta_1, beta_2=config.beta_2)
    regularizers = [
        {"name": name, "weight": weight}
        for name, weight in (("gp", config.gradient_penalty), ("r1", config.r1),
                             ("mlp2d_logit_penalty", config.logit_penalty))
        if weight
    ]
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": config.loss,
            "regularizers": regularizers, "d_steps": config.d_steps}


def build(config: MLP2DConfig):
    """Two MLPs -> a compiled ``ganzoo.GAN``."""
    from ganzoo_mlp2d.discriminator import build_discriminator
    from ganzoo_mlp2d.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config))


MLP2D = Architecture(
    "mlp2d", "MLP GAN for 2-D points (example third-party plugin)",
    "Goodfellow et al. 2014; toy setting of Metz et al. 2017",
    MLP2DConfig, build, presets=PRESETS)


@hookimpl
def register_architectures(register):
    register(MLP2D)


@hookimpl
def register_regularizers(register):
    from ganzoo_mlp2d.regularizers import LogitPenalty

    register(LogitPenalty)

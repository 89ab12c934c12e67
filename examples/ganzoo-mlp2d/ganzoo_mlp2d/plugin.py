"""Hook implementations: what ganzoo discovers through the entry point.

The same shape as every built-in plugin: ``config.py`` (config and presets),
``generator.py``, ``discriminator.py``, ``blocks.py``, and this module with
the hooks, the Architecture and its build function. Nothing imported here
imports Keras, so ``ganzoo list`` answers without a backend.
"""

import ganzoo
from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo_mlp2d.config import PRESETS, MLP2DConfig


def compile_defaults(config):
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


def build(config):
    """MLP2D: two MLPs -> compiled ``ganzoo.GAN``."""
    from ganzoo_mlp2d.discriminator import build_discriminator
    from ganzoo_mlp2d.generator import build_generator

    networks = build_generator(config), build_discriminator(config)
    return compiled_gan(*networks, config, compile_defaults(config))


MLP2D = Architecture(
    name="mlp2d",
    summary="MLP GAN for 2-D points (example third-party plugin)",
    paper="Goodfellow et al. 2014; toy setting of Metz et al. 2017",
    config_class=MLP2DConfig,
    build=build,
    presets=PRESETS,
)


@ganzoo.hookimpl
def register_architectures(register):
    register(MLP2D)


@ganzoo.hookimpl
def register_regularizers(register):
    from ganzoo_mlp2d.regularizers import LogitPenalty

    register(LogitPenalty)

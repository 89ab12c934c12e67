"""The ``sagan`` entry point: hooks, architecture and build function.

Imports no backend: the networks are imported when ``build`` runs.
"""

from __future__ import annotations

from typing import Any

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_sagan.config import PRESETS, ResNetGANConfig, SAGANConfig


def compile_defaults(config: ResNetGANConfig) -> dict[str, Any]:
    """Hinge loss and two Adams with the two time-scale update rule (Heusel et al. 2017)."""
    def adam(rate: float) -> dict[str, Any]:
        return optimizer_config("Adam", learning_rate=rate, beta_1=config.beta_1,
                                beta_2=config.beta_2, epsilon=config.adam_epsilon)

    return {"g_optimizer": adam(config.g_learning_rate),
            "d_optimizer": adam(config.d_learning_rate),
            "loss": "hinge", "d_steps": config.d_steps}


def build(config: SAGANConfig) -> Any:
    """SAGAN: networks -> compiled ``ganzoo.GAN`` (hinge, TTUR Adam(1e-4 / 4e-4, (0, 0.9)))."""
    from ganzoo_sagan.discriminator import build_discriminator
    from ganzoo_sagan.generator import build_generator

    networks = build_generator(config), build_discriminator(config)
    return compiled_gan(*networks, config, compile_defaults(config))


ARCHITECTURES = (
    Architecture(
        "sagan", "Self-attention GAN: SN ResNets, self-attention, hinge loss, TTUR",
        "Zhang, Goodfellow, Metaxas & Odena 2019, Self-Attention Generative "
        "Adversarial Networks (ICML 2019, arXiv:1805.08318)",
        SAGANConfig, build, presets=PRESETS,
    ),
)


@hookimpl
def register_architectures(register):
    for architecture in ARCHITECTURES:
        register(architecture)

"""The ``biggan`` entry point: hooks, architecture and build function.

Imports no backend: the networks are imported when ``build`` runs.
"""

from __future__ import annotations

from typing import Any

from ganzoo_sagan.plugin import compile_defaults as sagan_compile_defaults

from ganzoo.architecture import Architecture, compiled_gan
from ganzoo.hookspecs import hookimpl
from ganzoo_biggan.config import PRESETS, BigGANConfig


def compile_defaults(config: BigGANConfig) -> dict[str, Any]:
    """SAGAN's hinge loss and TTUR Adams, 2 D steps, orthogonal reg. on G, EMA of G."""
    ortho = [{"name": "orthogonal", "weight": config.orthogonal_weight}]
    return {**sagan_compile_defaults(config),
            "regularizers": ortho if config.orthogonal_weight else [],
            "ema_decay": config.ema_decay, "ema_start": config.ema_start}


def build(config: BigGANConfig) -> Any:
    """BigGAN: networks (SAGAN's discriminator, orthogonally initialised) -> compiled GAN."""
    from ganzoo_sagan.discriminator import build_discriminator

    from ganzoo_biggan.generator import build_generator

    networks = build_generator(config), build_discriminator(config, "biggan_discriminator")
    return compiled_gan(*networks, config, compile_defaults(config))


ARCHITECTURES = (
    Architecture(
        "biggan", "BigGAN: shared class embedding, hierarchical z, orthogonal reg., EMA",
        "Brock, Donahue & Simonyan 2019, Large Scale GAN Training for High Fidelity "
        "Natural Image Synthesis (ICLR 2019, arXiv:1809.11096)",
        BigGANConfig, build, presets=PRESETS,
    ),
)


@hookimpl
def register_architectures(register):
    for architecture in ARCHITECTURES:
        register(architecture)

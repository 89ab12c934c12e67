"""The ``biggan`` entry point: compile defaults, build, the ``biggan`` and
``biggan-deep`` architectures, hooks (and the ``biggan-pytorch`` and
``studiogan`` importers).

Imports no backend: ``build`` imports the networks, ``register_importers`` the
importer, when they run.
"""

from ganzoo_sagan.plugin import compile_defaults as sagan_compile_defaults

from ganzoo.architecture import Architecture, compiled_gan
from ganzoo.hookspecs import hookimpl
from ganzoo_biggan.config import DEEP_PRESETS, PRESETS, BigGANConfig, BigGANDeepConfig


def compile_defaults(config: BigGANConfig) -> dict:
    """SAGAN's hinge loss and TTUR Adams, 2 D steps, orthogonal reg. on G, EMA of G."""
    ortho = [{"name": "orthogonal", "weight": config.orthogonal_weight}]
    return {**sagan_compile_defaults(config),
            "regularizers": ortho if config.orthogonal_weight else [],
            "ema_decay": config.ema_decay, "ema_start": config.ema_start}


def build(config: BigGANConfig):
    """BigGAN's networks (SAGAN's, orthogonally initialised), or BigGAN-deep's for a
    ``BigGANDeepConfig`` -> a compiled GAN with an EMA of G."""
    from ganzoo_biggan.discriminator import build_discriminator
    from ganzoo_biggan.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config))


BIGGAN = Architecture(
    "biggan", "BigGAN: shared class embedding, hierarchical z, orthogonal reg., EMA",
    "Brock, Donahue & Simonyan 2019, Large Scale GAN Training for High Fidelity Natural "
    "Image Synthesis (ICLR 2019, arXiv:1809.11096)",
    BigGANConfig, build, presets=PRESETS)


BIGGAN_DEEP = Architecture(
    "biggan-deep", "BigGAN-deep: bottleneck blocks, two per resolution, whole z in every "
    "block, channel-dropping skips in G",
    "Brock, Donahue & Simonyan 2019, Large Scale GAN Training for High Fidelity Natural "
    "Image Synthesis (ICLR 2019, arXiv:1809.11096), Appendix B",
    BigGANDeepConfig, build, presets=DEEP_PRESETS)


@hookimpl
def register_architectures(register):
    register(BIGGAN)
    register(BIGGAN_DEEP)


@hookimpl
def register_importers(register):
    from ganzoo.importers import Importer
    from ganzoo_biggan import importer

    register(Importer(importer.FORMAT, importer.DESCRIPTION, importer.load_gan))
    register(Importer(importer.STUDIOGAN_FORMAT, importer.STUDIOGAN_DESCRIPTION,
                      importer.load_studiogan))

"""The ``dcgan`` and ``cgan`` entry point: compile defaults, build, architectures, hooks
(and the ``pytorch-examples-dcgan`` importer).

Imports no backend: ``build`` imports the networks, ``register_importers`` the
importer, when they run.
"""

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_dcgan.config import PRESETS, CGANConfig, DCGANConfig


def compile_defaults(config: DCGANConfig) -> dict:
    """Adam(lr, beta_1) for G and D and the non-saturating loss (Section 4)."""
    adam = optimizer_config("Adam", learning_rate=config.learning_rate, beta_1=config.beta_1)
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": "non_saturating"}


def build(config: DCGANConfig):
    """DCGAN's networks (taking labels when ``num_classes > 0``: cgan) -> a compiled GAN."""
    from ganzoo_dcgan.discriminator import build_discriminator
    from ganzoo_dcgan.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config))


DCGAN = Architecture(
    "dcgan", "Deep convolutional GAN: strided convs, batch norm, Adam(2e-4, 0.5)",
    "Radford, Metz & Chintala 2016, Unsupervised Representation Learning with Deep "
    "Convolutional Generative Adversarial Networks (arXiv:1511.06434)",
    DCGANConfig, build, presets=PRESETS["dcgan"])
# CGAN is DCGAN's networks with labels: the same build, a config with num_classes > 0.
CGAN = Architecture(
    "cgan", "Class-conditional GAN on the DCGAN networks (label into G and D)",
    "Mirza & Osindero 2014, Conditional Generative Adversarial Nets (arXiv:1411.1784)",
    CGANConfig, build, presets=PRESETS["cgan"])


@hookimpl
def register_architectures(register):
    register(DCGAN)
    register(CGAN)


@hookimpl
def register_importers(register):
    from ganzoo.importers import Importer
    from ganzoo_dcgan import importer

    register(Importer(importer.FORMAT, importer.DESCRIPTION, importer.load_gan))

"""The ``sagan`` entry point: compile defaults, build, architectures (``sagan``,
``sngan``), hooks.

Imports no backend: ``build`` imports the networks when it runs.
"""

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_sagan.config import (
    PRESETS,
    SNGAN_PRESETS,
    ResNetGANConfig,
    SAGANConfig,
    SNGANConfig,
)


def compile_defaults(config: ResNetGANConfig) -> dict:
    """Hinge loss and two Adams with the two time-scale update rule (Heusel et al. 2017)."""

    def adam(rate):
        return optimizer_config("Adam", learning_rate=rate, beta_1=config.beta_1,
                                beta_2=config.beta_2, epsilon=config.adam_epsilon)

    return {"g_optimizer": adam(config.g_learning_rate),
            "d_optimizer": adam(config.d_learning_rate),
            "loss": "hinge", "d_steps": config.d_steps}


def build(config: ResNetGANConfig):
    """SAGAN's SN ResNets with self-attention, or SN-GAN's for an ``SNGANConfig``
    (SN in D only, projection head) -> a compiled GAN."""
    from ganzoo_sagan import discriminator, generator

    if isinstance(config, SNGANConfig):
        networks = generator.build_sngan_generator, discriminator.build_sngan_discriminator
    else:
        networks = generator.build_generator, discriminator.build_discriminator
    return compiled_gan(networks[0](config), networks[1](config), config,
                        compile_defaults(config))


SAGAN = Architecture(
    "sagan", "Self-attention GAN: SN ResNets, self-attention, hinge loss, TTUR",
    "Zhang, Goodfellow, Metaxas & Odena 2019, Self-Attention Generative Adversarial "
    "Networks (ICML 2019, arXiv:1805.08318)",
    SAGANConfig, build, presets=PRESETS)


SNGAN = Architecture(
    "sngan", "SN-GAN: ResNets, spectral norm in D, projection D, hinge loss, 5 D steps",
    "Miyato, Kataoka, Koyama & Yoshida 2018, Spectral Normalization for Generative "
    "Adversarial Networks (ICLR 2018, arXiv:1802.05957); Miyato & Koyama 2018, cGANs "
    "with Projection Discriminator (ICLR 2018, arXiv:1802.05637)",
    SNGANConfig, build, presets=SNGAN_PRESETS)


@hookimpl
def register_architectures(register):
    register(SAGAN)
    register(SNGAN)

"""The ``dcgan`` and ``cgan`` entry point: hooks, architectures and build (imports no backend)."""

from ganzoo import architecture
from ganzoo_dcgan.config import PRESETS, CGANConfig, DCGANConfig


def compile_defaults(config: DCGANConfig) -> dict:
    """Adam(lr, beta_1) for G and D and the non-saturating loss (Section 4)."""
    adam = architecture.optimizer_config(
        "Adam", learning_rate=config.learning_rate, beta_1=config.beta_1)
    return {"g_optimizer": adam, "d_optimizer": adam, "loss": "non_saturating"}


# name: (config class, summary, paper); CGAN is DCGAN's networks with labels.
ARCHITECTURES = architecture.family(compile_defaults, PRESETS, {
    "dcgan": (DCGANConfig, "Deep convolutional GAN: strided convs, batch norm, Adam(2e-4, 0.5)",
              "Radford, Metz & Chintala 2016, Unsupervised Representation Learning with "
              "Deep Convolutional Generative Adversarial Networks (arXiv:1511.06434)"),
    "cgan": (CGANConfig, "Class-conditional GAN on the DCGAN networks (label into G and D)",
             "Mirza & Osindero 2014, Conditional Generative Adversarial Nets (arXiv:1411.1784)"),
})
register_architectures = architecture.architectures_hook(*ARCHITECTURES)

"""The ``sagan`` entry point: hooks, architecture and build (imports no backend)."""

from ganzoo import architecture
from ganzoo_sagan.config import PRESETS, ResNetGANConfig, SAGANConfig


def compile_defaults(config: ResNetGANConfig) -> dict:
    """Hinge loss and two Adams with the two time-scale update rule (Heusel et al. 2017)."""

    def adam(rate):
        return architecture.optimizer_config(
            "Adam", learning_rate=rate, beta_1=config.beta_1, beta_2=config.beta_2,
            epsilon=config.adam_epsilon)

    return {"g_optimizer": adam(config.g_learning_rate),
            "d_optimizer": adam(config.d_learning_rate),
            "loss": "hinge", "d_steps": config.d_steps}


register_architectures = architecture.architectures_hook(architecture.Architecture(
    "sagan", "Self-attention GAN: SN ResNets, self-attention, hinge loss, TTUR",
    "Zhang, Goodfellow, Metaxas & Odena 2019, Self-Attention Generative Adversarial "
    "Networks (ICML 2019, arXiv:1805.08318)",
    SAGANConfig, architecture.builder(compile_defaults), presets=PRESETS))

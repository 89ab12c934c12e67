"""The ``biggan`` entry point: hooks, architecture and build (imports no backend)."""

from ganzoo_sagan.plugin import compile_defaults as sagan_compile_defaults

from ganzoo import architecture
from ganzoo_biggan.config import PRESETS, BigGANConfig


def compile_defaults(config: BigGANConfig) -> dict:
    """SAGAN's hinge loss and TTUR Adams, 2 D steps, orthogonal reg. on G, EMA of G."""
    ortho = [{"name": "orthogonal", "weight": config.orthogonal_weight}]
    return {**sagan_compile_defaults(config),
            "regularizers": ortho if config.orthogonal_weight else [],
            "ema_decay": config.ema_decay, "ema_start": config.ema_start}


# BigGAN's generator, SAGAN's discriminator (orthogonal init.), an EMA of G.
register_architectures = architecture.architectures_hook(architecture.Architecture(
    "biggan", "BigGAN: shared class embedding, hierarchical z, orthogonal reg., EMA",
    "Brock, Donahue & Simonyan 2019, Large Scale GAN Training for High Fidelity Natural "
    "Image Synthesis (ICLR 2019, arXiv:1809.11096)",
    BigGANConfig, architecture.builder(compile_defaults), presets=PRESETS))

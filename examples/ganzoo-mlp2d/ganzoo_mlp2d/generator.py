"""The generator: z -> a 2-D point."""

from ganzoo_mlp2d.blocks import mlp


def build_generator(config):
    """An MLP from ``latent_dim`` to 2 (no output activation: points are unbounded)."""
    return mlp(config.latent_dim, 2, config.hidden, config.depth, "relu", "mlp2d_generator")

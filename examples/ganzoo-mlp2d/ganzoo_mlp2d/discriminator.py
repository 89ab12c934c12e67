"""The discriminator: a 2-D point -> one logit."""

from ganzoo_mlp2d.blocks import mlp


def build_discriminator(config):
    """An MLP from 2 to 1."""
    return mlp(2, 1, config.hidden, config.depth, "relu", "mlp2d_discriminator")

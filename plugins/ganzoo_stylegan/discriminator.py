"""StyleGAN's discriminator: ProGAN's, which is StyleGAN2's plain ("orig") one."""

from __future__ import annotations

from ganzoo_stylegan2.discriminator import StyleGAN2Discriminator
from ganzoo_stylegan2.discriminator import build_discriminator as build_stylegan2_d


def build_discriminator(config) -> StyleGAN2Discriminator:
    """The built discriminator of a ``StyleGANConfig`` (no residual connections)."""
    return build_stylegan2_d(config, architecture="orig")

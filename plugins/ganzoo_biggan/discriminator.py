"""BigGAN's discriminator: SAGAN's SN ResNet projection discriminator, orthogonally initialised."""

from __future__ import annotations

import keras
from ganzoo_sagan.discriminator import build_discriminator as sagan_discriminator


def build_discriminator(config) -> keras.Model:
    """SAGAN's discriminator for a ``BigGANConfig`` (its ``INITIALIZER`` is orthogonal)."""
    return sagan_discriminator(config, name="biggan_discriminator")

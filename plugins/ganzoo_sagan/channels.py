"""Channel widths per resolution of the SAGAN/BigGAN ResNet networks.

The tables are BigGAN's (Brock et al. 2019, Appendix B; ``G_arch``/``D_arch``
in BigGAN-PyTorch); at 128x128 they are also the official SAGAN code's
(``gf_dim``/``df_dim`` times 16, 16, 8, 4, 2, 1). Widths are multiples of
``base_filters`` (BigGAN's ``ch``).
"""

from __future__ import annotations

import math

# G: the width at 4x4, then after each up-sampling block (8x8 ... image_size).
GENERATOR_MULTIPLIERS: dict[int, tuple[int, ...]] = {
    16: (4, 4, 4),
    32: (4, 4, 4, 4),
    64: (16, 16, 8, 4, 2),
    128: (16, 16, 8, 4, 2, 1),
    256: (16, 16, 8, 8, 4, 2, 1),
    512: (16, 16, 8, 8, 4, 2, 1, 1),
}

# D: the width after each block; every block but the last halves the
# resolution (image_size/2 ... 4x4), the last one stays at 4x4.
DISCRIMINATOR_MULTIPLIERS: dict[int, tuple[int, ...]] = {
    16: (4, 4, 4),
    32: (4, 4, 4, 4),
    64: (1, 2, 4, 8, 16),
    128: (1, 2, 4, 8, 16, 16),
    256: (1, 2, 4, 8, 8, 16, 16),
    512: (1, 1, 2, 4, 8, 8, 16, 16),
}


def num_levels(image_size: int) -> int:
    """Resolutions from 4x4 to ``image_size`` (one multiplier each)."""
    return int(math.log2(image_size // 4)) + 1


def widths(base_filters: int, multipliers: tuple[int, ...]) -> list[int]:
    return [base_filters * m for m in multipliers]

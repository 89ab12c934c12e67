"""SAGAN's config, and the fields it shares with BigGAN's."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from ganzoo.architecture import Preset, preset
from ganzoo.config import GANConfig, check, is_power_of_two

# Channel widths per resolution of the SAGAN/BigGAN ResNet networks. The
# tables are BigGAN's (Brock et al. 2019, Appendix B; ``G_arch``/``D_arch`` in
# BigGAN-PyTorch); at 128x128 they are also the official SAGAN code's
# (``gf_dim``/``df_dim`` times 16, 16, 8, 4, 2, 1). Widths are multiples of
# ``base_filters`` (BigGAN's ``ch``).
# Per image size: G's widths (4x4, then after each up-sampling block, 8x8 ...
# image_size) and D's (after each block: every block but the last halves the
# resolution, image_size/2 ... 4x4; the last one stays at 4x4).
MULTIPLIERS: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    16: ((4, 4, 4), (4, 4, 4)),
    32: ((4, 4, 4, 4), (4, 4, 4, 4)),
    64: ((16, 16, 8, 4, 2), (1, 2, 4, 8, 16)),
    128: ((16, 16, 8, 4, 2, 1), (1, 2, 4, 8, 16, 16)),
    256: ((16, 16, 8, 8, 4, 2, 1), (1, 2, 4, 8, 8, 16, 16)),
    512: ((16, 16, 8, 8, 4, 2, 1, 1), (1, 1, 2, 4, 8, 8, 16, 16)),
}


def num_levels(image_size: int) -> int:
    """Resolutions from 4x4 to ``image_size`` (one multiplier each)."""
    return int(math.log2(image_size // 4)) + 1


def widths(base_filters: int, multipliers: tuple[int, ...]) -> list[int]:
    return [base_filters * m for m in multipliers]


@dataclass
class ResNetGANConfig(GANConfig):
    """Fields of the SN ResNet networks that SAGAN and BigGAN share."""

    image_size: int = 128  # ImageNet 128x128, as in both papers
    num_classes: int = 10  # 0 = unconditional (plain BN in G, no projection in D)
    base_filters: int = 64  # ch: widths are multiples of it
    # G's width per resolution (4x4 .. image_size), in base_filters; None = table
    channel_multipliers: tuple[int, ...] | None = None
    # D's width per block (image_size/2 .. 4x4, then 4x4); None = table
    d_channel_multipliers: tuple[int, ...] | None = None
    # self-attention after the block at this size; None = default, 0 = off
    attention_resolution: int | None = None
    g_learning_rate: float = 1e-4  # TTUR (Heusel et al. 2017)
    d_learning_rate: float = 4e-4
    beta_1: float = 0.0  # Adam, G and D
    beta_2: float = 0.9
    adam_epsilon: float = 1e-8
    d_steps: int = 1  # discriminator steps per generator step
    # D's head: a registered conditioning of D (ganzoo.conditioning)
    d_conditioning: str = "projection"
    INITIALIZER: ClassVar[str] = "glorot_uniform"  # Xavier, as in the official SAGAN code

    def default_attention_resolution(self) -> int:
        return min(32, self.image_size // 2)

    @property
    def resolved_attention_resolution(self) -> int:
        if self.attention_resolution is None:
            return self.default_attention_resolution()
        return self.attention_resolution

    @property
    def g_multipliers(self) -> tuple[int, ...]:
        return self.channel_multipliers or MULTIPLIERS[self.image_size][0]

    @property
    def d_multipliers(self) -> tuple[int, ...]:
        return self.d_channel_multipliers or MULTIPLIERS[self.image_size][1]

    def validate(self) -> None:
        super().validate()
        check(self.image_size >= 16, "image_size", self.image_size, "use 16 or more")
        check(self.base_filters > 0, "base_filters", self.base_filters, "use > 0")
        levels = num_levels(self.image_size)
        for key, given in (("channel_multipliers", self.channel_multipliers),
                           ("d_channel_multipliers", self.d_channel_multipliers)):
            if given is None:
                check(
                    self.image_size in MULTIPLIERS,
                    key,
                    given,
                    f"there is no default for image_size={self.image_size}; "
                    f"give {levels} multipliers",
                )
                continue
            check(
                len(given) == levels and all(m > 0 for m in given),
                key,
                given,
                f"give {levels} positive multipliers for image_size={self.image_size}",
            )
        attention = self.resolved_attention_resolution
        check(
            attention == 0
            or (is_power_of_two(attention) and 8 <= attention <= self.image_size // 2),
            "attention_resolution",
            attention,
            f"use 0 (off) or a power of two from 8 to {self.image_size // 2}",
        )
        for key in ("g_learning_rate", "d_learning_rate", "adam_epsilon"):
            check(getattr(self, key) > 0, key, getattr(self, key), "use > 0")
        for key in ("beta_1", "beta_2"):
            value = getattr(self, key)
            check(0 <= value < 1, key, value, "use a value in [0, 1)")
        check(self.d_steps >= 1, "d_steps", self.d_steps, "use 1 or more")
        check(bool(self.num_classes) or self.d_conditioning in ("projection", "none"),
              "d_conditioning", self.d_conditioning,
              "an unconditional model (num_classes=0) takes 'projection' or 'none'")


@dataclass
class SAGANConfig(ResNetGANConfig):
    """SAGAN (Zhang et al. 2019, Section 5 and the official TensorFlow code).

    Spectral norm in G and D, self-attention at 32x32 (16x16 for 32x32
    images), hinge loss, TTUR: Adam(G 1e-4, D 4e-4, beta = (0, 0.9)).
    """

    latent_dim: int = 128  # z_dim of the official code
    batch_size: int = 256  # the paper's batch size


PRESETS = (preset(
    "sagan-fashion-mnist-32", "docs/architectures/sagan.md's run: Fashion-MNIST at 32x32 "
    "with its 10 classes, base_filters 8, 6,000 steps of 64", dataset="fashion_mnist",
    batch_size=64, steps=6000, image_size=32, channels=1, num_classes=10, base_filters=8),)


# SN-GAN's widths, in base_filters (StudioGAN's ``resnet`` backbone, g_conv_dim and
# d_conv_dim 64): G as MULTIPLIERS but (16, 8, 4, 2, 1) at 64x64; D half as wide
# as SAGAN's at 32x32. 16x16 (no StudioGAN network) follows 32x32.
SNGAN_MULTIPLIERS: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    16: ((4, 4, 4), (2, 2, 2)),
    32: ((4, 4, 4, 4), (2, 2, 2, 2)),
    64: ((16, 8, 4, 2, 1), (1, 2, 4, 8, 16)),
    128: MULTIPLIERS[128],
    256: MULTIPLIERS[256],
    512: MULTIPLIERS[512],
}


@dataclass
class SNGANConfig(ResNetGANConfig):
    """SN-GAN (Miyato et al. 2018) with a projection D (Miyato & Koyama 2018), as
    PyTorch-StudioGAN's CIFAR-10 SNGAN config sets it up.

    G: ResNet 256 wide at 32x32, cBN when conditional, no spectral norm. D: SN
    ResNet 128 wide, optimized first block, global sum pooling, projection.
    Hinge loss, Adam(2e-4, beta = (0.5, 0.999), eps 1e-6), 5 D steps per G
    step, batch 64, z 128, orthogonal initialization, no EMA.
    """

    image_size: int = 32  # CIFAR-10
    latent_dim: int = 128
    batch_size: int = 64
    attention_resolution: int | None = 0  # none: that is sagan
    g_learning_rate: float = 2e-4
    d_learning_rate: float = 2e-4
    beta_1: float = 0.5  # StudioGAN's defaults; the SN-GAN paper's ResNets: 0, 0.9
    beta_2: float = 0.999
    adam_epsilon: float = 1e-6
    d_steps: int = 5
    g_spectral_norm: bool = False  # StudioGAN's apply_g_sn
    INITIALIZER: ClassVar[str] = "ganzoo>HostOrthogonal"  # StudioGAN's "ortho"
    BN_EPSILON: ClassVar[float] = 1e-4  # G's batch norms (StudioGAN's)

    def default_attention_resolution(self) -> int:
        return 0

    @property
    def g_multipliers(self) -> tuple[int, ...]:
        return self.channel_multipliers or SNGAN_MULTIPLIERS[self.image_size][0]

    @property
    def d_multipliers(self) -> tuple[int, ...]:
        return self.d_channel_multipliers or SNGAN_MULTIPLIERS[self.image_size][1]

    @property
    def d_downsample(self) -> tuple[bool, ...]:
        """Which D blocks halve the resolution: at 32x32 the first two (D ends
        at 8x8, as StudioGAN's CIFAR network), elsewhere all but the last (4x4)."""
        levels = num_levels(self.image_size)
        halvings = 2 if self.image_size == 32 else levels - 1
        return tuple(i < halvings for i in range(levels))

    def validate(self) -> None:
        check(self.attention_resolution in (0, None), "attention_resolution",
              self.attention_resolution,
              "SN-GAN has no self-attention; use 0, or --arch sagan for attention")
        super().validate()


SNGAN_PRESETS = (
    Preset("sngan-cifar10-32", "PyTorch-StudioGAN's CIFAR-10 SNGAN: class-conditional, "
           "G 256 wide, D 128, 100,000 steps of 64 with 5 D steps each, random flips",
           config={"image_size": 32, "channels": 3, "num_classes": 10, "base_filters": 64},
           train={"dataset": "cifar10", "batch_size": 64, "steps": 100000,
                  "real_transforms": ("flip",)}),
    preset("sngan-fashion-mnist-32", "SN-GAN on Fashion-MNIST at 32x32 with its 10 classes, "
           "CPU-sized (base_filters 8: G 32 wide, D 16), 2,000 steps of 64 (5 D steps each)",
           dataset="fashion_mnist", batch_size=64, steps=2000, image_size=32, channels=1,
           num_classes=10, base_filters=8),
)

"""StyleGAN's config, with the defaults of Karras, Laine & Aila 2019 (official TF code).

This module imports no Keras (``ganzoo list`` reads it without a backend).
"""

from __future__ import annotations

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import GANConfig, check, is_power_of_two


@dataclass
class StyleGANConfig(GANConfig):
    """StyleGAN (Karras et al. 2019), trained at the full resolution from the start
    (no progressive growing: see docs/architectures/stylegan.md)."""

    image_size: int = 256
    latent_dim: int = 512  # z, pixel-normalized
    batch_size: int = 32
    w_dim: int = 512
    mapping_layers: int = 8
    mapping_lr_multiplier: float = 0.01
    w_avg_beta: float = 0.995  # dlatent_avg_beta
    base_filters: int = 16384  # width at res r: min(base // r, max) (fmap_base 8192)
    max_filters: int = 512
    mbstd_group_size: int = 4
    learning_rate: float = 0.001  # Adam, G and D
    beta_1: float = 0.0
    beta_2: float = 0.99
    epsilon: float = 1e-8
    r1_gamma: float = 10.0  # R1 on reals, every step
    style_mixing_prob: float = 0.9
    ema_kimg: float = 10.0  # G_smoothing_kimg
    discriminator: str = "orig"  # StyleGAN2's plain D; "stylegan": the official one
    truncation_cutoff: int = 8  # truncation in W moves the first 8 w's; 0 = all

    def validate(self) -> None:
        super().validate()
        check(
            is_power_of_two(self.image_size) and 8 <= self.image_size <= 1024,
            "image_size", self.image_size, "use a power of two from 8 to 1024",
        )
        check(self.num_classes == 0, "num_classes", self.num_classes,
              "use 0 (this StyleGAN is unconditional)")
        check(self.w_dim > 0, "w_dim", self.w_dim, "use a positive size")
        check(self.mapping_layers >= 1, "mapping_layers", self.mapping_layers, "use 1 or more")
        for key in ("mapping_lr_multiplier", "learning_rate", "epsilon",
                    "base_filters", "max_filters"):
            check(getattr(self, key) > 0, key, getattr(self, key), "use > 0")
        check(0 <= self.w_avg_beta < 1, "w_avg_beta", self.w_avg_beta, "use [0, 1)")
        check(self.mbstd_group_size >= 1, "mbstd_group_size", self.mbstd_group_size,
              "use 1 or more")
        for key in ("beta_1", "beta_2"):
            check(0 <= getattr(self, key) < 1, key, getattr(self, key), "use [0, 1)")
        check(self.discriminator in ("orig", "stylegan"), "discriminator", self.discriminator,
              "use 'orig' (StyleGAN2's plain D) or 'stylegan' (the official StyleGAN D)")
        check(self.truncation_cutoff >= 0, "truncation_cutoff", self.truncation_cutoff,
              "use 0 (every w) or more")
        for key in ("r1_gamma", "ema_kimg"):
            check(getattr(self, key) >= 0, key, getattr(self, key), "use 0 or more")
        check(0 <= self.style_mixing_prob <= 1, "style_mixing_prob",
              self.style_mixing_prob, "use a probability in [0, 1]")


PRESETS = (preset(
    "stylegan-fashion-mnist-32", "docs/architectures/stylegan.md's run: StyleGAN at 32x32 on "
    "Fashion-MNIST with CPU-sized widths (z and w 64, at most 32 channels, 4 mapping layers)",
    dataset="fashion_mnist", batch_size=32, steps=2000, image_size=32, channels=1,
    latent_dim=64, w_dim=64, mapping_layers=4, base_filters=512, max_filters=32),)

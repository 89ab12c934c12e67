"""ProGAN's config, with the defaults of Karras et al. 2018 (Appendix A)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ganzoo.architecture import preset
from ganzoo.config import GANConfig, check, is_power_of_two

# The discriminator's minibatch standard deviation: "nvidia" (the official
# code's, ganzoo.layers.MinibatchStdDev), "pytorch-gan-zoo" (as
# facebookresearch/pytorch_GAN_zoo's PGAN computes it: blocks.ConsecutiveStdDev)
# or "off" (no extra feature map).
STDDEV_VARIANTS = ("nvidia", "pytorch-gan-zoo", "off")


def parse_batch_sizes(text: str) -> dict[int, int]:
    """``"256:14,512:6"`` -> ``{256: 14, 512: 6}`` (resolution -> batch size)."""
    out: dict[int, int] = {}
    for item in text.replace(" ", "").split(","):
        if not item:
            continue
        res, sep, size = item.partition(":")
        if not sep or not res.isdigit() or not size.isdigit():
            raise ValueError(item)
        out[int(res)] = int(size)
    return out


@dataclass
class ProGANConfig(GANConfig):
    """Progressive growing of GANs (Karras et al. 2018)."""

    image_size: int = 1024  # target resolution (CelebA-HQ in the paper)
    latent_dim: int = 512  # z, pixel-normalized before the first layer
    batch_size: int = 16  # images per step at resolutions not in batch_sizes
    batch_sizes: str = (
        "256:14,512:6,1024:3"  # "res:batch,...": the paper's smaller batches
    )
    images_per_stage: int = 800_000  # real images shown per stabilization stage
    fade_images: int | None = None  # per fade-in stage; None = images_per_stage
    base_filters: int = 8192  # fmap_base: level l has base / 2^(l+1) channels...
    max_filters: int = 512  # ...capped at fmap_max (512 up to 32x32, 16 at 1024x1024)
    learning_rate: float = 1e-3  # Adam, for G and D
    beta_1: float = 0.0
    beta_2: float = 0.99
    epsilon: float = 1e-8
    gp_weight: float = 10.0  # WGAN-GP lambda
    drift_weight: float = 0.001  # epsilon_drift * E[D(x)^2]
    ema_decay: float = 0.999  # EMA of G's weights (the paper's Gs)
    minibatch_group_size: int = 4  # minibatch stddev group
    # "nvidia" (the official code's), "pytorch-gan-zoo" (consecutive groups,
    # unbiased variance: the pytorch-gan-zoo-pgan importer sets it) or "off"
    minibatch_stddev: str = "nvidia"
    d_steps: int = 1  # n_critic

    renamed_keys: ClassVar[dict[str, str]] = {"images_per_phase": "images_per_stage"}

    def validate(self) -> None:
        super().validate()
        check(
            is_power_of_two(self.image_size) and 4 <= self.image_size <= 1024,
            "image_size",
            self.image_size,
            "use a power of two from 4 to 1024",
        )
        check(
            self.num_classes == 0,
            "num_classes",
            self.num_classes,
            "ProGAN is unconditional; use 0",
        )
        try:
            sizes = parse_batch_sizes(self.batch_sizes)
        except ValueError:
            sizes = None
        check(
            sizes is not None
            and all(is_power_of_two(r) and r >= 4 and b > 0 for r, b in sizes.items()),
            "batch_sizes",
            self.batch_sizes,
            "use 'resolution:batch,...' such as '256:14,512:6,1024:3'",
        )
        check(
            self.images_per_stage > 0,
            "images_per_stage",
            self.images_per_stage,
            "use a positive number of images",
        )
        check(
            self.fade_images is None or self.fade_images > 0,
            "fade_images",
            self.fade_images,
            "use a positive number of images or None",
        )
        check(self.base_filters > 0, "base_filters", self.base_filters, "use > 0")
        check(self.max_filters > 0, "max_filters", self.max_filters, "use > 0")
        check(self.learning_rate > 0, "learning_rate", self.learning_rate, "use > 0")
        check(0.0 <= self.ema_decay < 1.0, "ema_decay", self.ema_decay, "use [0, 1)")
        check(
            self.minibatch_group_size > 0,
            "minibatch_group_size",
            self.minibatch_group_size,
            "use 1 or more",
        )
        check(
            self.minibatch_stddev in STDDEV_VARIANTS,
            "minibatch_stddev",
            self.minibatch_stddev,
            f"use one of {', '.join(STDDEV_VARIANTS)}",
        )
        check(self.d_steps >= 1, "d_steps", self.d_steps, "use 1 or more")

    def batch_size_at(self, resolution: int) -> int:
        """Images per discriminator step at ``resolution``."""
        return parse_batch_sizes(self.batch_sizes).get(resolution, self.batch_size)


def filters_at(level: int, base_filters: int, max_filters: int) -> int:
    """Channels at level ``level`` (level 0 = 4x4): ``min(base / 2^(level+1), max)``.

    The official code's ``nf(stage)`` with ``stage = level + 1``; level -1 is
    the width of the discriminator's last dense layer.
    """
    return max(1, min(base_filters // 2 ** (level + 1), max_filters))


PRESETS = (preset(
    "progan-fashion-mnist-32", "docs/architectures/progan.md's run: Fashion-MNIST grown from "
    "4x4 to 32x32, z of 128, widths up to 64, EMA decay 0.99, 3,500 steps of 16",
    dataset="fashion_mnist", batch_size=16, steps=3500, image_size=32, channels=1,
    latent_dim=128, base_filters=512, max_filters=64, ema_decay=0.99),)

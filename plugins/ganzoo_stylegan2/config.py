"""StyleGAN2's config, with the settings of NVlabs' stylegan2-ada-pytorch.

The reference's ``--cfg`` picks a spec (batch, widths, learning rate, R1
gamma, EMA, mapping depth); every field left at ``None`` here takes its value
from the spec named by ``cfg``, for the config's ``image_size``:

- ``auto``: the reference's default, scaled with resolution ``res``:
  batch ``min(4096 // res, 32)``, minibatch-stddev group ``min(batch, 4)``,
  widths ``0.5 * 32768 / res`` (``32768 / res`` from 512 up, capped at 512),
  lr 0.0025 (0.002 at 1024), ``gamma = 0.0002 * res**2 / batch``,
  EMA ``batch * 10 / 32`` kimg with ramp-up 0.05, 2 mapping layers.
- ``stylegan2``: the paper's config F: batch 32, group 4, full widths,
  lr 0.002, gamma 10, EMA 10 kimg without ramp-up, 8 mapping layers.
- ``cifar``: batch 64, group 32, full widths, lr 0.0025, gamma 0.01, EMA 500
  kimg with ramp-up 0.05, 2 mapping layers, no path-length regularization,
  no style mixing, and the plain ("orig") discriminator without residuals.

This module imports no Keras (``ganzoo list`` reads it without a backend).
"""

from __future__ import annotations

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import GANConfig, check, is_power_of_two

CFGS = ("auto", "stylegan2", "cifar")
MIXED_DTYPES = ("float16", "bfloat16")  # for the blocks of the top num_fp16_res resolutions
D_ARCHITECTURES = ("resnet", "orig")


def cfg_spec(cfg: str, image_size: int) -> dict:
    """The reference's spec for ``cfg`` at ``image_size`` (single process)."""
    res = image_size
    if cfg == "auto":
        batch = min(4096 // res, 32)
        return {
            "batch_size": batch,
            "mbstd_group_size": min(batch, 4),
            "base_filters": int((1 if res >= 512 else 0.5) * 32768),
            "learning_rate": 0.002 if res >= 1024 else 0.0025,
            "r1_gamma": 0.0002 * res**2 / batch,
            "ema_kimg": batch * 10 / 32,
            "ema_rampup": 0.05,
            "mapping_layers": 2,
            "pl_weight": 2.0,
            "style_mixing_prob": 0.9,
            "d_architecture": "resnet",
        }
    if cfg == "stylegan2":
        return {
            "batch_size": 32,
            "mbstd_group_size": 4,
            "base_filters": 32768,
            "learning_rate": 0.002,
            "r1_gamma": 10.0,
            "ema_kimg": 10.0,
            "ema_rampup": 0.0,
            "mapping_layers": 8,
            "pl_weight": 2.0,
            "style_mixing_prob": 0.9,
            "d_architecture": "resnet",
        }
    if cfg == "cifar":
        return {
            "batch_size": 64,
            "mbstd_group_size": 32,
            "base_filters": 32768,
            "learning_rate": 0.0025,
            "r1_gamma": 0.01,
            "ema_kimg": 500.0,
            "ema_rampup": 0.05,
            "mapping_layers": 2,
            "pl_weight": 0.0,
            "style_mixing_prob": 0.0,
            "d_architecture": "orig",
        }
    raise ValueError(cfg)


@dataclass
class StyleGAN2Config(GANConfig):
    """StyleGAN2 (Karras et al. 2020) as configured in stylegan2-ada-pytorch.

    ``None`` fields are filled from ``cfg`` when the config is made (see the
    module docstring); the resolved config holds plain numbers, so it
    round-trips through a dict and a YAML file unchanged. ``num_classes > 0``
    (``ArchitectureConfig``'s field, the reference's ``c_dim``) makes G and D
    class-conditional: a label embedding in G's mapping network and a
    projection discriminator (``d_conditioning="cmap"``, the reference's label
    mapping network into D; any registered conditioning of D may replace it).
    """

    image_size: int = 256
    latent_dim: int = 512  # z_dim
    cfg: str = "auto"  # the reference's --cfg: auto, stylegan2 or cifar
    batch_size: int | None = None  # images per step (the reference's --batch)
    w_dim: int = 512  # size of w
    mapping_layers: int | None = None  # depth of the mapping network
    mapping_lr_multiplier: float = 0.01  # equalized-LR multiplier of the mapping
    w_avg_beta: float = 0.995  # decay of the tracked mean of w (truncation centre)
    base_filters: int | None = None  # channel_base: width at res r is base / r...
    max_filters: int = 512  # ...capped at channel_max
    mbstd_group_size: int | None = None  # minibatch-stddev group (1 channel)
    d_architecture: str | None = None  # resnet (default) or orig (cifar)
    learning_rate: float | None = None  # Adam, G and D, before lazy-reg rescaling
    beta_1: float = 0.0
    beta_2: float = 0.99
    epsilon: float = 1e-8
    r1_gamma: float | None = None  # R1 weight gamma (loss gamma/2 * ||grad||^2)
    r1_interval: int = 16  # lazy R1: every 16th D step, weighted x16
    pl_weight: float | None = None  # path-length regularization weight (0 = off)
    pl_interval: int = 4  # lazy path length: every 4th G step, weighted x4
    pl_batch_shrink: int = 2  # path length runs on batch // 2 latents
    pl_decay: float = 0.01  # decay of the path-length running mean
    style_mixing_prob: float | None = None  # probability of mixing two latents
    ema_kimg: float | None = None  # EMA half-life in thousands of images
    ema_rampup: float | None = None  # half-life <= images seen * rampup (0 = off)
    num_fp16_res: int = 0  # the top N resolutions (never 4x4) compute in mixed_dtype
    mixed_dtype: str = "float16"  # float16 or bfloat16, for those blocks
    conv_clamp: float | None = None  # clip conv outputs to +-this (0 = off); 256 with fp16
    noise_per_channel: bool = False  # noise strength per channel (True: earlier ganzoo releases)
    d_conditioning: str = "cmap"  # D's use of labels: the reference's cmap, or a registered one

    def __post_init__(self) -> None:
        check(self.cfg in CFGS, "cfg", self.cfg, f"use one of {', '.join(CFGS)}")
        check(
            is_power_of_two(self.image_size) and 8 <= self.image_size <= 1024,
            "image_size",
            self.image_size,
            "use a power of two from 8 to 1024",
        )
        for key, value in cfg_spec(self.cfg, self.image_size).items():
            if getattr(self, key) is None:
                setattr(self, key, value)
        if self.conv_clamp is None:  # the reference clamps whenever it uses fp16
            self.conv_clamp = 256.0 if self.num_fp16_res else 0.0
        super().__post_init__()

    def validate(self) -> None:
        super().validate()
        check(self.w_dim > 0, "w_dim", self.w_dim, "use a positive size")
        check(self.mapping_layers >= 1, "mapping_layers", self.mapping_layers, "use 1 or more")
        for key in ("mapping_lr_multiplier", "learning_rate", "epsilon"):
            check(getattr(self, key) > 0, key, getattr(self, key), "use > 0")
        check(0 <= self.w_avg_beta < 1, "w_avg_beta", self.w_avg_beta, "use [0, 1)")
        check(self.base_filters > 0, "base_filters", self.base_filters, "use > 0")
        check(self.max_filters > 0, "max_filters", self.max_filters, "use > 0")
        check(
            self.mbstd_group_size >= 1,
            "mbstd_group_size",
            self.mbstd_group_size,
            "use 1 or more",
        )
        check(
            self.d_architecture in D_ARCHITECTURES,
            "d_architecture",
            self.d_architecture,
            f"use one of {', '.join(D_ARCHITECTURES)}",
        )
        for key in ("beta_1", "beta_2"):
            check(0 <= getattr(self, key) < 1, key, getattr(self, key), "use [0, 1)")
        for key in ("r1_gamma", "pl_weight", "ema_kimg", "ema_rampup"):
            check(getattr(self, key) >= 0, key, getattr(self, key), "use 0 or more")
        for key in ("r1_interval", "pl_interval", "pl_batch_shrink"):
            check(getattr(self, key) >= 1, key, getattr(self, key), "use 1 or more")
        check(0 < self.pl_decay <= 1, "pl_decay", self.pl_decay, "use (0, 1]")
        check(self.num_fp16_res >= 0, "num_fp16_res", self.num_fp16_res,
              "use 0 (all float32) or more")
        check(self.mixed_dtype in MIXED_DTYPES, "mixed_dtype", self.mixed_dtype,
              f"use one of {', '.join(MIXED_DTYPES)}")
        check(self.conv_clamp >= 0, "conv_clamp", self.conv_clamp, "use 0 (off) or more")
        check(isinstance(self.d_conditioning, str) and (
            bool(self.num_classes) or self.d_conditioning == "cmap"), "d_conditioning",
              self.d_conditioning, "an unconditional model (num_classes=0) takes only 'cmap'")
        check(
            0 <= self.style_mixing_prob <= 1,
            "style_mixing_prob",
            self.style_mixing_prob,
            "use a probability in [0, 1]",
        )

    def channels_at(self, resolution: int) -> int:
        """Feature maps at ``resolution``: ``min(base_filters // res, max_filters)``."""
        return max(1, min(self.base_filters // resolution, self.max_filters))

    @property
    def num_ws(self) -> int:
        """Number of w vectors the synthesis network takes (2 per block, 8 at 32x32)."""
        return 2 * self.image_size.bit_length() - 4


PRESETS = (
    preset("stylegan2-fashion-mnist-32", "docs/architectures/stylegan2.md's run: the auto cfg "
           "at 32x32 on Fashion-MNIST with CPU-sized widths (z and w 64, at most 32 "
           "channels), 2,000 steps of 32", dataset="fashion_mnist", batch_size=32,
           steps=2000, image_size=32, channels=1, latent_dim=64, w_dim=64, base_filters=512,
           max_filters=32),
    preset("stylegan2-cifar", "The reference's cifar cfg at 32x32 (2 mapping layers, gamma "
           "0.01, mbstd group 32, no path length, no style mixing, plain D), on CIFAR-10",
           dataset="cifar10", batch_size=64, cfg="cifar", image_size=32, channels=3),
)

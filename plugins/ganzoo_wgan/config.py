"""Configs with each paper's defaults."""

from __future__ import annotations

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import GANConfig, check


@dataclass
class _DCGANBackboneConfig(GANConfig):
    """Fields shared by the three architectures (all use a DCGAN-style backbone)."""

    base_filters: int = 64  # channels of D's first conv and G's last; doubling per level
    kernel_size: int = 4  # conv kernel of G and D

    def validate(self) -> None:
        super().validate()
        check(self.image_size >= 8, "image_size", self.image_size, "use 8 or more")
        check(self.base_filters > 0, "base_filters", self.base_filters, "use a positive count")
        check(self.kernel_size > 0, "kernel_size", self.kernel_size, "use 1 or more")
        check(
            self.num_classes == 0,
            "num_classes",
            self.num_classes,
            "this architecture is unconditional; use 0",
        )


@dataclass
class WGANConfig(_DCGANBackboneConfig):
    """WGAN (Arjovsky et al. 2017, Algorithm 1 and the reference DCGAN setup).

    The networks are DCGAN's (batch norm in G and in the critic), as in the
    reference code.
    """

    clip: float = 0.01  # weight clipping bound c
    learning_rate: float = 5e-5  # RMSProp, for G and D
    d_steps: int = 5  # critic iterations per generator iteration (n_critic)

    def validate(self) -> None:
        super().validate()
        check(self.clip > 0, "clip", self.clip, "use a positive bound")
        check(self.learning_rate > 0, "learning_rate", self.learning_rate, "use > 0")
        check(self.d_steps >= 1, "d_steps", self.d_steps, "use 1 or more")


@dataclass
class WGANGPConfig(GANConfig):
    """WGAN-GP (Gulrajani et al. 2017, Algorithm 1; CIFAR-10 DCGAN and ResNet setups)."""

    latent_dim: int = 128  # size of z
    critic: str = "dcgan"  # "dcgan" or "resnet" (G is the matching generator)
    base_filters: int | None = None  # DIM: None = 64 for dcgan, 128 for resnet
    critic_norm: str = "none"  # "none" or "layer" (never batch norm: GP is per sample)
    gp_weight: float = 10.0  # lambda
    learning_rate: float = 1e-4  # Adam alpha, for G and D
    beta_1: float = 0.0
    beta_2: float = 0.9
    d_steps: int = 5  # n_critic

    def validate(self) -> None:
        super().validate()
        check(self.image_size >= 8, "image_size", self.image_size, "use 8 or more")
        check(
            self.critic in ("dcgan", "resnet"),
            "critic",
            self.critic,
            "use 'dcgan' or 'resnet'",
        )
        check(
            self.base_filters is None or self.base_filters > 0,
            "base_filters",
            self.base_filters,
            "use a positive count or None",
        )
        check(
            self.critic_norm in ("none", "layer"),
            "critic_norm",
            self.critic_norm,
            "use 'none' or 'layer' (batch norm breaks the per-sample gradient penalty)",
        )
        check(self.gp_weight >= 0, "gp_weight", self.gp_weight, "use 0 or more")
        check(self.learning_rate > 0, "learning_rate", self.learning_rate, "use > 0")
        check(self.d_steps >= 1, "d_steps", self.d_steps, "use 1 or more")
        check(
            self.num_classes == 0,
            "num_classes",
            self.num_classes,
            "this architecture is unconditional; use 0",
        )

    @property
    def resolved_base_filters(self) -> int:
        if self.base_filters is not None:
            return self.base_filters
        return 128 if self.critic == "resnet" else 64


@dataclass
class LSGANConfig(_DCGANBackboneConfig):
    """LSGAN (Mao et al. 2017) with the a=0, b=c=1 coding on a DCGAN backbone."""

    kernel_size: int = 5  # DCGAN's 5x5 kernels
    learning_rate: float = 2e-4  # Adam, for G and D
    beta_1: float = 0.5
    label_smoothing: float = 0.0  # one-sided: real target b becomes 1 - smoothing

    def validate(self) -> None:
        super().validate()
        check(self.learning_rate > 0, "learning_rate", self.learning_rate, "use > 0")


FASHION_MNIST = {"dataset": "fashion_mnist", "batch_size": 64, "image_size": 32,
                 "channels": 1, "base_filters": 32}

PRESETS = {
    "wgan": (),
    "wgan-gp": (preset("wgan-gp-fashion-mnist-32", "docs/architectures/wgan-gp.md's run: "
                       "Fashion-MNIST at 32x32, DCGAN critic of width 32, 800 steps of 64",
                       steps=800, **FASHION_MNIST),),
    "lsgan": (preset("lsgan-fashion-mnist-32", "docs/architectures/lsgan.md's run: "
                     "Fashion-MNIST at 32x32, width 32, 4x4 kernels, 1,500 steps of 64",
                     steps=1500, kernel_size=4, **FASHION_MNIST),),
}

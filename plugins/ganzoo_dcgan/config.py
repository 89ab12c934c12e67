"""Configs of ``dcgan`` and ``cgan`` with the papers' defaults."""

from __future__ import annotations

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import GANConfig, check, is_power_of_two


@dataclass
class DCGANConfig(GANConfig):
    """DCGAN (Radford, Metz & Chintala 2016, Sections 3-4 and Figure 1)."""

    image_size: int = 64  # the paper's 64x64 LSUN / faces / ImageNet models
    channels: int = 3  # 1 (grayscale) or 3 (RGB)
    latent_dim: int = 100  # 100-d z
    batch_size: int = 128  # "mini-batch SGD with a mini-batch size of 128"
    base_filters: int = 128  # G's last / D's first width; 4x4 map: base * 2^(n-1)
    kernel_size: int = 5  # 5x5 in the reference code (4x4 is the other common choice)
    d_base_filters: int = 0  # D's first width when it differs from G's; 0: base_filters
    use_bias: bool = True  # biases where no BN follows; False: none (PyTorch examples')
    learning_rate: float = 2e-4  # Adam, for G and D
    beta_1: float = 0.5  # "reducing it [from 0.9] to 0.5 helped stabilize training"

    def validate(self) -> None:
        super().validate()
        check(
            is_power_of_two(self.image_size) and self.image_size >= 16,
            "image_size",
            self.image_size,
            "use a power of two of 16 or more (16, 32, 64 ...)",
        )
        check(
            self.base_filters > 0,
            "base_filters",
            self.base_filters,
            "use a positive channel count such as 64 or 128",
        )
        check(
            self.d_base_filters >= 0,
            "d_base_filters",
            self.d_base_filters,
            "use 0 (D as wide as G: base_filters) or a positive channel count",
        )
        check(
            self.kernel_size >= 2,
            "kernel_size",
            self.kernel_size,
            "use 4 or 5 (any size of 2 or more works with stride 2)",
        )
        check(
            self.learning_rate > 0,
            "learning_rate",
            self.learning_rate,
            "use a positive rate such as 2e-4",
        )
        check(0 <= self.beta_1 < 1, "beta_1", self.beta_1, "use a value in [0, 1)")
        self.check_num_classes()

    def check_num_classes(self) -> None:
        check(
            self.num_classes == 0,
            "num_classes",
            self.num_classes,
            "use 0 (dcgan is unconditional), or the 'cgan' architecture for labels",
        )


@dataclass
class CGANConfig(DCGANConfig):
    """Conditional GAN (Mirza & Osindero 2014) on the DCGAN backbone."""

    num_classes: int = 10  # the paper's MNIST digits
    label_dim: int = 50  # size of G's label embedding, concatenated with z
    # "input": the label map beside the image (the paper); or a registered
    # conditioning of D as the head on D's features (ganzoo.conditioning)
    d_conditioning: str = "input"

    def validate(self) -> None:
        super().validate()
        check(
            self.label_dim > 0,
            "label_dim",
            self.label_dim,
            "use a positive embedding size such as 50",
        )
        check(bool(self.d_conditioning), "d_conditioning", self.d_conditioning,
              "use 'input' or a registered conditioning of D (ganzoo.conditioning)")

    def check_num_classes(self) -> None:
        check(
            self.num_classes >= 2,
            "num_classes",
            self.num_classes,
            "use 2 or more (cgan is class-conditional); for unlabelled data use 'dcgan'",
        )


# The README's run: `ganzoo train --preset dcgan-fashion-mnist-32`.
FASHION_MNIST_32 = {"dataset": "fashion_mnist", "batch_size": 64, "steps": 1500,
                    "image_size": 32, "channels": 1, "base_filters": 32, "kernel_size": 4}

PRESETS = {
    "dcgan": (preset("dcgan-fashion-mnist-32", "The README's run: Fashion-MNIST at 32x32, "
                     "narrow (32) 4x4-kernel networks, 1,500 steps of 64 (a few CPU minutes)",
                     **FASHION_MNIST_32),),
    "cgan": (preset("cgan-fashion-mnist-32", "docs/architectures/cgan.md's run: the DCGAN "
                    "preset with the 10 classes", num_classes=10, **FASHION_MNIST_32),),
}

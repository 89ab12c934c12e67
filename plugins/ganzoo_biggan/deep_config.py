"""BigGAN-deep's config: BigGAN's fields, the whole z in every block, and
the depth and bottleneck of the residual blocks (Brock et al. 2019, Appendix B)."""

from __future__ import annotations

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import check
from ganzoo_biggan.config import BigGANConfig


@dataclass
class BigGANDeepConfig(BigGANConfig):
    """BigGAN-deep at 128x128: ch = 128, z and the shared embedding of 128
    each, two bottleneck blocks per resolution (channel ratio 4), attention
    at 64x64 in G and D, the training settings of BigGAN-PyTorch's
    ``launch_BigGAN_deep.sh``: Adam(G 1e-4, D 4e-4, beta = (0, 0.999),
    epsilon 1e-6), one D step per G step, EMA of G (0.9999 from step 20000).

    z is not split: the first linear layer and every conditional batch norm
    take ``[shared embedding, z]``. Orthogonal regularization keeps BigGAN's
    beta = 1e-4 (the launch script sets it to 0; docs/architectures/biggan-deep.md).
    """

    latent_dim: int = 128  # the whole z reaches every block
    base_filters: int = 128  # ch
    shared_dim: int = 128
    d_steps: int = 1  # launch_BigGAN_deep.sh: --num_D_steps 1
    hierarchical_z: bool = False  # BigGAN-deep never splits z (kept for BigGAN's fields)
    blocks_per_resolution: int = 2  # G_depth / D_depth: residual blocks per resolution
    channel_ratio: int = 4  # the bottleneck: a block's 3x3 convs have width / ratio channels

    def validate(self) -> None:
        super().validate()
        check(not self.hierarchical_z, "hierarchical_z", self.hierarchical_z,
              "BigGAN-deep feeds the whole z to every block; use False (or arch biggan)")
        check(self.blocks_per_resolution >= 1, "blocks_per_resolution",
              self.blocks_per_resolution, "use 1 or more")
        check(self.channel_ratio >= 1, "channel_ratio", self.channel_ratio, "use 1 or more")
        g = self.g_multipliers
        check(all(a >= b for a, b in zip(g, g[1:])), "channel_multipliers",
              self.channel_multipliers,
              "G's skip connections drop channels: give non-increasing multipliers")
        d = self.d_multipliers
        check(all(a <= b for a, b in zip(d, d[1:])), "d_channel_multipliers",
              self.d_channel_multipliers,
              "D's skip connections add channels: give non-decreasing multipliers")
        # the bottleneck is G's block input / ratio and D's block output / ratio
        narrowest = self.base_filters * min(min(g[:-1]), min(d[1:]))
        check(narrowest >= self.channel_ratio, "channel_ratio", self.channel_ratio,
              f"a block of {narrowest} channels would have no bottleneck channel; "
              "lower channel_ratio or raise base_filters")


PRESETS = (
    preset(
        "biggan-deep-fashion-mnist-32", "docs/architectures/biggan-deep.md's CPU run: "
        "Fashion-MNIST at 32x32 with its 10 classes, base_filters 8, z and embedding of "
        "32, EMA from step 300 (decay 0.999), 2,000 steps of 64",
        dataset="fashion_mnist", batch_size=64, steps=2000, image_size=32, channels=1,
        num_classes=10, base_filters=8, latent_dim=32, shared_dim=32, ema_start=300,
        ema_decay=0.999),
    preset(
        "biggan-deep-imagenet-128", "The paper's BigGAN-deep at 128x128 (ch 128, z 128, "
        "attention at 64) on ImageNet's 1000 classes, BigGAN-PyTorch's launch_BigGAN_deep.sh "
        "settings; give --dataset (an image folder of ImageNet)",
        batch_size=256, image_size=128, channels=3, num_classes=1000, base_filters=128,
        latent_dim=128, shared_dim=128, attention_resolution=64),
)

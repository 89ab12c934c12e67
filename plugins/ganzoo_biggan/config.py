"""BigGAN's config: SAGAN's fields plus the shared embedding, orthogonal
regularization and the EMA of G; BigGAN-deep's, BigGAN's plus the depth and
bottleneck of its blocks (Brock et al. 2019, Appendix B)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from ganzoo_sagan.config import ResNetGANConfig, num_levels

from ganzoo.architecture import preset
from ganzoo.config import check, is_power_of_two


@dataclass
class BigGANConfig(ResNetGANConfig):
    """BigGAN (Brock et al. 2019) at 128x128: the paper and BigGAN-PyTorch's
    ImageNet recipe (``launch_BigGAN_bs256x8.sh``).

    Adam(G 1e-4, D 4e-4, beta = (0, 0.999), epsilon 1e-6), 2 D steps per G
    step, orthogonal regularization beta = 1e-4, EMA of G (decay 0.9999 from
    step 20000), self-attention at 64x64, ch = 96, z of 120 split into one
    chunk per G block plus one.
    """

    latent_dim: int = 120  # split into len(channel_multipliers) chunks
    batch_size: int = 256  # per D step (the paper: 2048 = 256 x 8 accumulations)
    base_filters: int = 96  # ch
    shared_dim: int = 128  # shared class embedding, projected into every cBN
    beta_2: float = 0.999
    adam_epsilon: float = 1e-6
    d_steps: int = 2  # the paper's two D steps per G step
    orthogonal_weight: float = 1e-4  # beta of the off-diagonal orthogonal penalty
    ema_decay: float = 0.9999  # EMA of G's weights; generate() uses it
    ema_start: int = 20000  # G steps before which the EMA copies the weights
    # Options that BigGAN-PyTorch's checkpoints need (docs/architectures/biggan.md);
    # the ``biggan-pytorch`` importer sets them from the file.
    hierarchical_z: bool = True  # False: G's linear takes all of z, cBNs the embedding
    # D's self-attention resolution; None = attention_resolution, 0 = off
    d_attention_resolution: int | None = None
    d_final_resolution: int = 4  # D halves down to this size (BigGAN-PyTorch at 32: 8)
    # spectral norm's sigma: "stored" (ganzoo: from the stored u, as the last
    # training step), "iterate" (BigGAN-PyTorch: a power step every call) or
    # "stored_uv" (StudioGAN, torch's spectral_norm: from the stored u and v)
    spectral_norm_sigma: str = "stored"
    cbn_bias: bool = True  # a bias in the cBN projections (BigGAN-PyTorch: none)
    bn_epsilon: float = 1e-5  # G's batch norms (StudioGAN: 1e-4)
    # D blocks' shortcut reads the ReLU'd input (StudioGAN's in-place ReLU does that)
    d_activated_shortcut: bool = False
    # BigGAN-PyTorch's G_init/D_init "ortho": orthogonal, computed in NumPy
    # (Keras' own compiles per weight shape on JAX: minutes per build)
    INITIALIZER: ClassVar[str] = "ganzoo>HostOrthogonal"

    def default_attention_resolution(self) -> int:
        return 64 if self.image_size >= 128 else self.image_size // 2

    @property
    def num_latent_chunks(self) -> int:
        """One chunk for the first linear layer and one per G block (1 without
        hierarchical z)."""
        return num_levels(self.image_size) if self.hierarchical_z else 1

    @property
    def resolved_d_attention_resolution(self) -> int:
        if self.d_attention_resolution is None:
            return self.resolved_attention_resolution
        return self.d_attention_resolution

    def validate(self) -> None:
        super().validate()
        check(
            self.num_classes >= 1,
            "num_classes",
            self.num_classes,
            "BigGAN is class-conditional; use 1 or more",
        )
        check(
            self.latent_dim >= self.num_latent_chunks,
            "latent_dim",
            self.latent_dim,
            f"use at least {self.num_latent_chunks} (one per latent chunk)",
        )
        check(self.shared_dim > 0, "shared_dim", self.shared_dim, "use > 0")
        d_attention = self.resolved_d_attention_resolution
        check(
            d_attention == 0
            or (is_power_of_two(d_attention) and 4 <= d_attention <= self.image_size // 2),
            "d_attention_resolution",
            self.d_attention_resolution,
            f"use None (as G), 0 (off) or a power of two from 4 to {self.image_size // 2}",
        )
        check(
            is_power_of_two(self.d_final_resolution)
            and 4 <= self.d_final_resolution <= self.image_size // 2,
            "d_final_resolution",
            self.d_final_resolution,
            f"use a power of two from 4 to {self.image_size // 2}",
        )
        check(
            self.spectral_norm_sigma in ("stored", "iterate", "stored_uv"),
            "spectral_norm_sigma",
            self.spectral_norm_sigma,
            "use 'stored', 'iterate' or 'stored_uv'",
        )
        check(self.bn_epsilon > 0, "bn_epsilon", self.bn_epsilon, "use > 0")
        check(
            self.orthogonal_weight >= 0,
            "orthogonal_weight",
            self.orthogonal_weight,
            "use 0 (off) or more",
        )
        check(
            0 <= self.ema_decay < 1,
            "ema_decay",
            self.ema_decay,
            "use a value in [0, 1)",
        )
        check(self.ema_start >= 0, "ema_start", self.ema_start, "use 0 or more")


PRESETS = (preset(
    "biggan-fashion-mnist-32", "docs/architectures/biggan.md's run: Fashion-MNIST at 32x32 "
    "with its 10 classes, base_filters 8, EMA from step 300 (decay 0.999), 5,000 steps of 64",
    dataset="fashion_mnist", batch_size=64, steps=5000, image_size=32, channels=1,
    num_classes=10, base_filters=8, ema_start=300, ema_decay=0.999),)

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
        check(all(a >= b for a, b in pairwise(g)), "channel_multipliers",
              self.channel_multipliers,
              "G's skip connections drop channels: give non-increasing multipliers")
        d = self.d_multipliers
        check(all(a <= b for a, b in pairwise(d)), "d_channel_multipliers",
              self.d_channel_multipliers,
              "D's skip connections add channels: give non-decreasing multipliers")
        # the bottleneck is G's block input / ratio and D's block output / ratio
        narrowest = self.base_filters * min(min(g[:-1]), min(d[1:]))
        check(narrowest >= self.channel_ratio, "channel_ratio", self.channel_ratio,
              f"a block of {narrowest} channels would have no bottleneck channel; "
              "lower channel_ratio or raise base_filters")


DEEP_PRESETS = (
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

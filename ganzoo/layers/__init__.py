"""Layers shared by ganzoo's architectures, usable in any Keras model."""

from ganzoo.layers.adain import AdaptiveInstanceNormalization
from ganzoo.layers.conditional_batch_norm import ConditionalBatchNormalization
from ganzoo.layers.equalized import (
    EqualizedConv2D,
    EqualizedDense,
    EqualizedLearningRate,
)
from ganzoo.layers.host_orthogonal import HostOrthogonal
from ganzoo.layers.minibatch_stddev import MinibatchStdDev
from ganzoo.layers.modulated_conv import ModulatedConv2D
from ganzoo.layers.noise_injection import NoiseInjection
from ganzoo.layers.pixel_norm import PixelNormalization
from ganzoo.layers.projection_head import ProjectionHead
from ganzoo.layers.reparametrization import (
    KernelReparametrization,
    ReparametrizedConv2D,
    ReparametrizedDense,
    ReparametrizedEmbedding,
)
from ganzoo.layers.self_attention import SelfAttention
from ganzoo.layers.spectral_norm import SNConv2D, SNDense, SNEmbedding, SpectralNorm

__all__ = [
    "AdaptiveInstanceNormalization",
    "ConditionalBatchNormalization",
    "EqualizedConv2D",
    "EqualizedDense",
    "EqualizedLearningRate",
    "HostOrthogonal",
    "KernelReparametrization",
    "MinibatchStdDev",
    "ModulatedConv2D",
    "NoiseInjection",
    "PixelNormalization",
    "ProjectionHead",
    "ReparametrizedConv2D",
    "ReparametrizedDense",
    "ReparametrizedEmbedding",
    "SNConv2D",
    "SNDense",
    "SNEmbedding",
    "SelfAttention",
    "SpectralNorm",
]

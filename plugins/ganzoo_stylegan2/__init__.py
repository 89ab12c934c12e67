"""StyleGAN2: Karras et al. 2020, "Analyzing and Improving the Image Quality of
StyleGAN" (CVPR 2020, arXiv:1912.04958), as configured in NVlabs'
stylegan2-ada-pytorch."""

from ganzoo_stylegan2.config import CFGS, PRESETS, StyleGAN2Config, cfg_spec
from ganzoo_stylegan2.discriminator import StyleGAN2Discriminator
from ganzoo_stylegan2.gan import (
    PathLengthPenalty,
    StyleGAN2,
    mix_styles,
    path_length_statistics,
)
from ganzoo_stylegan2.generator import StyleGAN2Generator, SynthesisNetwork
from ganzoo_stylegan2.layers import MappingNetwork, SynthesisLayer

__all__ = [
    "CFGS",
    "PRESETS",
    "MappingNetwork",
    "PathLengthPenalty",
    "StyleGAN2",
    "StyleGAN2Config",
    "StyleGAN2Discriminator",
    "StyleGAN2Generator",
    "SynthesisLayer",
    "SynthesisNetwork",
    "cfg_spec",
    "mix_styles",
    "path_length_statistics",
]

"""Example ganzoo plugin: an MLP GAN for 2-D points."""

from ganzoo_mlp2d.networks import ring_of_gaussians

__all__ = ["ring_of_gaussians"]

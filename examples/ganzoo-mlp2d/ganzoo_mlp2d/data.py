"""Toy data for 2-D points: Gaussians evenly spaced on a circle."""

import numpy as np


def ring_of_gaussians(n, modes=8, radius=2.0, std=0.02, seed=0):
    """``n`` points from ``modes`` Gaussians evenly spaced on a circle."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * rng.integers(0, modes, n) / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (centers + std * rng.standard_normal((n, 2))).astype("float32")


def ring_centers(modes=8, radius=2.0):
    """The ``modes`` centres of :func:`ring_of_gaussians`."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)

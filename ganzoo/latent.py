"""Latent-space tools: interpolation (in z, or in W for style-based GANs) and
DCGAN-style vector arithmetic.

Radford et al. (2016, §6.3) average the latents of several samples showing a
concept ("smiling woman"), then add and subtract such averages:

    z = mean(z_smiling_woman) - mean(z_neutral_woman) + mean(z_neutral_man)

>>> z = latent_arithmetic(gan, positive=[[3, 8, 12], [5, 9, 30]], negative=[[1, 4, 7]])
>>> images = gan.generate_from_latents(z)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ganzoo.errors import GanzooError


def lerp(z0, z1, t):
    return (1.0 - t) * z0 + t * z1


def slerp(z0, z1, t):
    """Spherical interpolation (White 2016); falls back to lerp for parallel vectors."""
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, t)
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def interpolate(z0, z1, steps: int, spherical: bool = False) -> np.ndarray:
    """``steps`` latents from z0 to z1 inclusive."""
    if steps < 2:
        raise GanzooError(f"steps={steps}: an interpolation needs at least 2 steps")
    fn = slerp if spherical else lerp
    return np.stack([fn(z0, z1, t) for t in np.linspace(0.0, 1.0, steps)]).astype("float32")


def interpolate_w(gan, seed_a: int, seed_b: int, steps: int, truncation_psi: float | None = None,
                  use_ema: bool = True, name: str | None = None,
                  label: int | None = None) -> np.ndarray:
    """``steps`` images along the line in W between the mapped latents of two
    seeds (truncated by ``truncation_psi``); the ends are ``gan.generate(1,
    seed=seed_a / seed_b, truncation_psi=truncation_psi)``. W is interpolated
    linearly, as StyleGAN's perceptual path length does (through the GAN's
    ``map_latents`` and ``generate_from_ws``). ``name`` names the
    architecture in the error for a GAN without a W space (``has_w_space``).
    A class-conditional GAN maps both seeds in class ``label`` (0 if None).
    """
    if not gan.has_w_space:
        raise GanzooError(
            f"{name or type(gan).__name__} has no mapping network, so no W space to "
            "interpolate in; use the z space (a style-based architecture such as stylegan2 "
            "has W)")
    z = np.stack([latent_for_seed(gan, seed_a), latent_for_seed(gan, seed_b)])
    labels = {"labels": [label or 0] * 2} if gan.num_classes else {}
    ws = gan.map_latents(z, use_ema=use_ema, truncation_psi=truncation_psi, **labels)
    return gan.generate_from_ws(interpolate(ws[0], ws[1], steps), use_ema=use_ema)


def latent_for_seed(gan, seed: int, truncation: float | None = None) -> np.ndarray:
    """The latent ``gan.generate(1, seed=seed)`` uses."""
    return gan.latents(1, seed=seed, truncation=truncation)[0]


def latent_arithmetic(
    gan,
    positive: Sequence[Sequence[int]],
    negative: Sequence[Sequence[int]] = (),
    truncation: float | None = None,
) -> np.ndarray:
    """Sum of the mean latents of each positive seed group minus each negative one.

    Each group is a list of seeds whose samples show one concept; the result is
    a (1, latent_dim) array for ``gan.generate_from_latents``.
    """
    if not positive:
        raise GanzooError("latent_arithmetic needs at least one positive group of seeds")

    def mean(group):
        if not group:
            raise GanzooError("an empty seed group has no mean latent")
        return np.mean([latent_for_seed(gan, s, truncation) for s in group], axis=0)

    z = sum(mean(g) for g in positive) - sum((mean(g) for g in negative), 0.0)
    return np.asarray(z, "float32")[None]

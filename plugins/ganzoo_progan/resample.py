"""Nearest-neighbour up-sampling and 2x2 average down-sampling (channels last)."""

from __future__ import annotations

from keras import ops


def upscale2d(x, factor: int = 2):
    """Repeat every pixel ``factor`` times along height and width."""
    return ops.repeat(ops.repeat(x, factor, axis=1), factor, axis=2)


def downscale2d(x, factor: int = 2):
    """Average ``factor x factor`` pixel blocks."""
    _, height, width, channels = x.shape
    x = ops.reshape(
        x, (-1, height // factor, factor, width // factor, factor, channels)
    )
    return ops.mean(x, axis=(2, 4))


def lerp(a, b, t):
    """``a + t * (b - a)``: exactly ``a`` at ``t = 0`` and ``b`` at ``t = 1``."""
    t = ops.cast(t, a.dtype)
    return a + t * (b - a)

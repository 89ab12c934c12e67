"""ADA's ``bgc`` transforms (Karras et al. 2020, "Training Generative
Adversarial Networks with Limited Data"), each applied per sample with
probability ``p``, at the reference's default strengths.

- blit (``b``): x-flip, quarter-turn rotation, integer translation (up to
  0.125 of the size);
- geometric (``g``): isotropic scaling (log2 std 0.2), rotation before and
  after anisotropic scaling (log2 std 0.2) with ``P(either) = p``, fractional
  translation (std 0.125 of the size);
- colour (``c``): brightness (std 0.2), contrast (log2 std 0.5), luma flip,
  hue rotation (up to a full turn), saturation (log2 std 1).

The geometric ops compose into one 3x3 matrix per sample, applied by one
bilinear resampling with reflect padding; the colour ops into one 4x4 matrix.
Departures from the reference, for a simpler pure keras.ops version: the
reference upsamples 2x with a wavelet (sym6) filter, resamples, and
downsamples again to limit aliasing, and pads by reflection only as far as
needed (zeros beyond); here the resampling is bilinear at the original size
and the reflection repeats indefinitely. Whole-pixel maps (the blit group)
copy pixels exactly either way.
"""

from __future__ import annotations

import math

from keras import ops

from ganzoo.augment import matrices as mx
from ganzoo.augment.ops import affine_resample, apply_color_matrix, static_hw

BLIT = ("xflip", "rotate90", "xint")
GEOMETRIC = ("scale", "rotate", "aniso", "xfrac")
COLOR = ("brightness", "contrast", "lumaflip", "hue", "saturation")
ALL_OPS = BLIT + GEOMETRIC + COLOR
GROUPS = {"b": BLIT, "g": GEOMETRIC, "c": COLOR}

# The reference's default strengths.
XINT_MAX = 0.125
SCALE_STD = 0.2
ROTATE_MAX = 1.0
ANISO_STD = 0.2
XFRAC_STD = 0.125
BRIGHTNESS_STD = 0.2
CONTRAST_STD = 0.5
HUE_MAX = 1.0
SATURATION_STD = 1.0


def _chosen(random, probability, value, neutral):
    """``value`` where a per-sample coin with ``probability`` comes up, else ``neutral``."""
    return ops.where(random.bernoulli(probability)[:, 0], value, neutral)


def geometric_matrix(random, p, enabled, height: int, width: int):
    """The per-sample inverse map (output pixel -> input pixel), ``(batch, 3, 3)``."""
    ref = random.zeros()
    g = mx.identity(ref, 3)
    if "xflip" in enabled:
        flip = ops.floor(random.uniform()[:, 0] * 2.0)
        flip = _chosen(random, p, flip, 0.0)
        g = ops.matmul(g, mx.scale2d_inv(1.0 - 2.0 * flip, ref + 1.0))
    if "rotate90" in enabled:
        quarter = ops.floor(random.uniform()[:, 0] * 4.0)
        quarter = _chosen(random, p, quarter, 0.0)
        g = ops.matmul(g, mx.rotate2d_inv(-math.pi / 2.0 * quarter))
    if "xint" in enabled:
        t = (random.uniform(2) * 2.0 - 1.0) * XINT_MAX
        t = ops.where(random.bernoulli(p), t, 0.0)
        g = ops.matmul(g, mx.translate2d_inv(ops.round(t[:, 0] * width), ops.round(t[:, 1] * height)))
    if "scale" in enabled:
        s = ops.power(2.0, random.normal()[:, 0] * SCALE_STD)
        s = _chosen(random, p, s, 1.0)
        g = ops.matmul(g, mx.scale2d_inv(s, s))
    # Two rotations, each with p_rot, so that P(at least one) = p.
    p_rot = 1.0 - ops.sqrt(ops.clip(1.0 - p, 0.0, 1.0))
    if "rotate" in enabled:
        theta = (random.uniform()[:, 0] * 2.0 - 1.0) * math.pi * ROTATE_MAX
        theta = _chosen(random, p_rot, theta, 0.0)
        g = ops.matmul(g, mx.rotate2d_inv(-theta))
    if "aniso" in enabled:
        s = ops.power(2.0, random.normal()[:, 0] * ANISO_STD)
        s = _chosen(random, p, s, 1.0)
        g = ops.matmul(g, mx.scale2d_inv(s, 1.0 / s))
    if "rotate" in enabled:
        theta = (random.uniform()[:, 0] * 2.0 - 1.0) * math.pi * ROTATE_MAX
        theta = _chosen(random, p_rot, theta, 0.0)
        g = ops.matmul(g, mx.rotate2d_inv(-theta))
    if "xfrac" in enabled:
        t = random.normal(2) * XFRAC_STD
        t = ops.where(random.bernoulli(p), t, 0.0)
        g = ops.matmul(g, mx.translate2d_inv(t[:, 0] * width, t[:, 1] * height))
    return g


def color_matrix(random, p, enabled, channels: int):
    """The per-sample colour map on homogeneous RGB, ``(batch, 4, 4)``.

    Hue and saturation leave grey untouched, so 1-channel images skip them
    (as the reference does); luma flip turns grey ``g`` into ``-g``.
    """
    ref = random.zeros()
    c = mx.identity(ref, 4)
    if "brightness" in enabled:
        b = random.normal()[:, 0] * BRIGHTNESS_STD
        c = ops.matmul(mx.translate3d(_chosen(random, p, b, 0.0)), c)
    if "contrast" in enabled:
        s = ops.power(2.0, random.normal()[:, 0] * CONTRAST_STD)
        c = ops.matmul(mx.scale3d(_chosen(random, p, s, 1.0)), c)
    if "lumaflip" in enabled:
        flip = ops.floor(random.uniform()[:, 0] * 2.0)
        c = ops.matmul(mx.luma_flip(_chosen(random, p, flip, 0.0)), c)
    if "hue" in enabled and channels > 1:
        theta = (random.uniform()[:, 0] * 2.0 - 1.0) * math.pi * HUE_MAX
        c = ops.matmul(mx.rotate_about_luma(_chosen(random, p, theta, 0.0)), c)
    if "saturation" in enabled and channels > 1:
        s = ops.power(2.0, random.normal()[:, 0] * SATURATION_STD)
        c = ops.matmul(mx.saturate(_chosen(random, p, s, 1.0)), c)
    return c


def bgc(images, random, p, enabled=ALL_OPS):
    """Apply the enabled ops to float32 NHWC ``images``, each with probability ``p``."""
    height, width, channels = static_hw(images)
    if any(op in enabled for op in BLIT + GEOMETRIC):
        images = affine_resample(images, geometric_matrix(random, p, enabled, height, width))
    if any(op in enabled for op in COLOR):
        images = apply_color_matrix(images, color_matrix(random, p, enabled, channels))
    return images

"""Per-layer mixed precision for the high resolutions (the reference's ``num_fp16_res``).

stylegan2-ada-pytorch runs the blocks of the top ``num_fp16_res``
resolutions (never 4x4) in float16 and clamps the activations of every
convolution to +-``conv_clamp`` (256), so the high-resolution layers, where
most of the time goes, run at half precision without overflowing. Here a
block "runs in float16" when its layers carry the Keras ``mixed_float16``
(or ``mixed_bfloat16``) dtype policy: float32 variables, half-precision
compute. Blocks below keep the default policy (float32).

This module imports no Keras: the policies are named by string.
"""

from __future__ import annotations

MIXED_DTYPES = ("float16", "bfloat16")


def lowest_mixed_resolution(image_size: int, num_fp16_res: int) -> int:
    """The lowest resolution that runs in the mixed dtype; above ``image_size`` if none.

    The reference's rule: ``max(2 ** (log2(image_size) + 1 - num_fp16_res), 8)``.
    """
    if num_fp16_res <= 0:
        return 2 * image_size
    return max(2 ** (image_size.bit_length() - num_fp16_res), 8)


def block_policy(resolution: int, image_size: int, num_fp16_res: int, mixed_dtype: str):
    """The dtype policy name of the block at ``resolution``: ``mixed_<dtype>`` for
    the top ``num_fp16_res`` resolutions, else None (the default policy)."""
    if resolution >= lowest_mixed_resolution(image_size, num_fp16_res):
        return f"mixed_{mixed_dtype}"
    return None


def clamp(x, limit):
    """x clipped to [-limit, limit]; x itself when ``limit`` is None (no clamping)."""
    from keras import ops

    return x if limit is None else ops.clip(x, -limit, limit)

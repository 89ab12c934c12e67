"""Batched homogeneous matrices: 3x3 for 2-D geometry, 4x4 for RGB colour.

Every builder takes per-sample parameters of shape ``(batch,)`` (or Python
floats) and returns ``(batch, n, n)`` float32 tensors. The ``*_inv``
geometric builders return the inverse transform, which maps an output pixel
to the input pixel it samples (ADA composes the pipeline that way).
"""

from __future__ import annotations

import math

from keras import ops


def _entries_like(reference, rows):
    """Stack a nested list of tensors/floats into ``(batch, n, n)``."""
    zero = ops.zeros_like(reference)
    full = [[zero + ops.cast(e, "float32") if not isinstance(e, (int, float)) else zero + e
             for e in row] for row in rows]
    return ops.stack([ops.stack(row, axis=-1) for row in full], axis=-2)


def identity(reference, n: int):
    """``(batch, n, n)`` identity, batch taken from ``reference`` of shape (batch,)."""
    return _entries_like(reference, [[1.0 if i == j else 0.0 for j in range(n)]
                                     for i in range(n)])


def translate2d_inv(tx, ty):
    return _entries_like(tx, [[1, 0, -tx], [0, 1, -ty], [0, 0, 1]])


def scale2d_inv(sx, sy):
    ref = sx if not isinstance(sx, (int, float)) else sy
    return _entries_like(ref, [[1 / sx, 0, 0], [0, 1 / sy, 0], [0, 0, 1]])


def rotate2d_inv(theta):
    """Inverse of a rotation by ``theta``: a rotation by ``-theta``."""
    c, s = ops.cos(-theta), ops.sin(-theta)
    return _entries_like(theta, [[c, -s, 0], [s, c, 0], [0, 0, 1]])


def translate3d(t):
    return _entries_like(t, [[1, 0, 0, t], [0, 1, 0, t], [0, 0, 1, t], [0, 0, 0, 1]])


def scale3d(s):
    return _entries_like(s, [[s, 0, 0, 0], [0, s, 0, 0], [0, 0, s, 0], [0, 0, 0, 1]])


LUMA_AXIS = [1 / math.sqrt(3), 1 / math.sqrt(3), 1 / math.sqrt(3), 0.0]
# v v^T for the luma axis v, as a constant 4x4 list
_LUMA_OUTER = [[a * b for b in LUMA_AXIS] for a in LUMA_AXIS]


def luma_flip(flip):
    """Householder reflection ``I - 2 v v^T`` where ``flip`` is 1, identity where 0."""
    return _entries_like(flip, [[(1.0 if i == j else 0.0) - 2.0 * _LUMA_OUTER[i][j] * flip
                                 for j in range(4)] for i in range(4)])


def rotate_about_luma(theta):
    """Rotation by ``theta`` about the luma axis (hue rotation), Rodrigues' formula."""
    v = LUMA_AXIS
    c, s = ops.cos(theta), ops.sin(theta)
    cc = 1.0 - c
    rows = [
        [v[0] * v[0] * cc + c, v[0] * v[1] * cc - v[2] * s, v[0] * v[2] * cc + v[1] * s, 0],
        [v[1] * v[0] * cc + v[2] * s, v[1] * v[1] * cc + c, v[1] * v[2] * cc - v[0] * s, 0],
        [v[2] * v[0] * cc - v[1] * s, v[2] * v[1] * cc + v[0] * s, v[2] * v[2] * cc + c, 0],
        [0, 0, 0, 1],
    ]
    return _entries_like(theta, rows)


def saturate(s):
    """Scale the chroma (the part orthogonal to the luma axis) by ``s``.

    Written as ``I + (I - v v^T)(s - 1)`` so that ``s = 1`` gives the identity exactly.
    """
    return _entries_like(s, [[(1.0 if i == j else 0.0) + ((1.0 if i == j else 0.0)
                                                          - _LUMA_OUTER[i][j]) * (s - 1.0)
                              for j in range(4)] for i in range(4)])

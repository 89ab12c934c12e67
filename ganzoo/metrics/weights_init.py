"""Cheap construction of networks whose weights are about to be replaced.

Building InceptionV3 on JAX compiles one random-number program per distinct
kernel shape (about 45 s on a CPU) only for the values to be overwritten by
``load_weights``. Building under :func:`zero_initialized` skips that, and
:func:`randomize_weights` gives seeded random weights from NumPy instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keras
import numpy as np

_RANDOM_INITIALIZERS = (
    "glorot_uniform",
    "GlorotUniform",
    "glorot_normal",
    "GlorotNormal",
    "he_normal",
    "HeNormal",
    "he_uniform",
    "HeUniform",
)


@contextlib.contextmanager
def zero_initialized() -> Iterator[None]:
    """Within this block, layers asking for a random initializer by name get zeros."""
    with keras.saving.custom_object_scope(
        {name: keras.initializers.Zeros for name in _RANDOM_INITIALIZERS}
    ):
        yield


def randomize_weights(model: keras.Model, seed: int = 0) -> None:
    """Glorot-uniform kernels from ``numpy.random`` (seeded); other weights kept."""
    rng = np.random.default_rng(seed)
    for w in model.trainable_weights:
        shape = tuple(w.shape)
        if len(shape) < 2:
            continue
        receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        w.assign(rng.uniform(-limit, limit, size=shape).astype(w.dtype))

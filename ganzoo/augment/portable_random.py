"""Random numbers that are bit-identical on every Keras backend.

``keras.random`` hands the seed to the backend's own generator (Philox on
TensorFlow, Threefry on JAX), so one seed gives different numbers on each
backend. Augmentations must not: a run has to be reproducible whichever
backend it runs on. Here the key comes from a ``keras.random.SeedGenerator``
(the caller's seeded stream, whose state Keras threads through JAX's
stateless step) and the numbers from a counter-based integer hash written in
``keras.ops`` uint32 arithmetic, which wraps identically everywhere.

The hash is Chris Wellons' "lowbias32" integer mixer, a bijection on 32-bit
words with low avalanche bias: ample for augmentation parameters, and not
meant for anything cryptographic.
"""

from __future__ import annotations

import math

import numpy as np
from keras import ops

_M1 = np.uint32(0x7FEB352D)
_M2 = np.uint32(0x846CA68B)
_GOLDEN = np.uint32(0x9E3779B9)
_KEY_SALT = np.uint32(0x85EBCA77)
_INV_2_24 = 1.0 / (1 << 24)


def _u32(value):
    return ops.convert_to_tensor(np.uint32(value), dtype="uint32")


def _wrap(x):
    """``x`` modulo 2**32. Keras' torch backend holds "uint32" in int64 (torch has
    no uint32 arithmetic), which does not wrap by itself; true uint32 already has."""
    if "uint32" in str(x.dtype):
        return x
    return ops.bitwise_and(x, ops.convert_to_tensor(0xFFFFFFFF, dtype=x.dtype))


def _mul(x, y):
    return _wrap(ops.multiply(x, y))


def _add(x, y):
    return _wrap(ops.add(x, y))


def mix32(x):
    """lowbias32: a well-mixing bijection of uint32 words (elementwise)."""
    x = ops.bitwise_xor(x, ops.right_shift(x, _u32(16)))
    x = _mul(x, _u32(_M1))
    x = ops.bitwise_xor(x, ops.right_shift(x, _u32(15)))
    x = _mul(x, _u32(_M2))
    return ops.bitwise_xor(x, ops.right_shift(x, _u32(16)))


def key_from(seed_generator):
    """Advance ``seed_generator`` once and fold its state into one uint32 key."""
    state = _wrap(ops.cast(seed_generator.next(), "uint32"))
    return mix32(ops.bitwise_xor(state[0], mix32(_add(state[1], _u32(_KEY_SALT)))))


class PortableRandom:
    """Draws for one augmentation call: ``(batch, k)`` tensors from one key.

    Each draw uses its own sub-stream (numbered in call order, which is fixed
    when the step is traced) and element ``(i, j)`` hashes the counter
    ``i * k + j``, so the numbers depend only on the key, the draw's position
    and the batch size: never on the backend.
    """

    def __init__(self, key, batch):
        self.key = key
        self.batch = batch
        self._draws = 0

    def _bits(self, k: int):
        stream = mix32(_add(self.key, _u32((self._draws + 1) * int(_GOLDEN) & 0xFFFFFFFF)))
        self._draws += 1
        rows = ops.cast(ops.arange(self.batch), "uint32")
        counter = _add(
            _mul(ops.expand_dims(rows, 1), _u32(k)),
            ops.cast(ops.arange(k), "uint32")[None, :],
        )
        return mix32(_add(mix32(ops.bitwise_xor(counter, stream)), stream))

    def zeros(self):
        """``(batch,)`` float32 zeros (no draw): a template for per-sample values."""
        return ops.zeros_like(ops.cast(ops.arange(self.batch), "float32"))

    def uniform(self, k: int = 1):
        """``(batch, k)`` float32 in [0, 1), multiples of 2**-24 (exact in float32)."""
        top = ops.right_shift(self._bits(k), _u32(8))
        return ops.cast(top, "float32") * _INV_2_24

    def normal(self, k: int = 1):
        """``(batch, k)`` standard normal float32 (Box-Muller on two uniforms)."""
        u1 = 1.0 - self.uniform(k)  # in (0, 1]: the log stays finite
        u2 = self.uniform(k)
        return ops.sqrt(-2.0 * ops.log(u1)) * ops.cos((2.0 * math.pi) * u2)

    def integers(self, low: int, high: int, k: int = 1):
        """``(batch, k)`` int32 uniform on ``low .. high - 1``."""
        span = high - low
        draw = ops.floor(self.uniform(k) * float(span))
        # float rounding can land on ``span`` itself when span is not a power of 2
        return ops.cast(ops.minimum(draw, float(span - 1)), "int32") + low

    def bernoulli(self, probability, k: int = 1):
        """``(batch, k)`` booleans, True with ``probability`` (a scalar tensor or float)."""
        return self.uniform(k) < probability

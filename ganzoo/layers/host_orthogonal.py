"""An orthogonal initializer computed on the host (Saxe et al. 2014)."""

from __future__ import annotations

import keras
import numpy as np


@keras.saving.register_keras_serializable(package="ganzoo")
class HostOrthogonal(keras.initializers.Orthogonal):
    """`keras.initializers.Orthogonal`, with the QR decomposition done in NumPy.

    The same distribution (a random orthogonal matrix of the flattened shape
    `(prod(shape[:-1]), shape[-1])`, times `gain`), but the only backend op is
    one integer draw from Keras' random state (so `keras.utils.set_random_seed`
    and `seed` still make it deterministic). On JAX, Keras' own initializer
    compiles its ops afresh for every new weight shape, which made building a
    BigGAN take minutes there; this one compiles nothing per shape.
    """

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(f"HostOrthogonal needs a shape of rank 2 or more, got {shape}.")
        seed = keras.random.randint((), 0, 2**31 - 1, seed=self.seed, dtype="int32")
        rng = np.random.default_rng(int(keras.ops.convert_to_numpy(seed)))
        rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        value = self.gain * q.reshape(shape)
        return keras.ops.convert_to_tensor(value, dtype=dtype or keras.config.floatx())

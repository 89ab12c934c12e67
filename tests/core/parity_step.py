"""One D+G step from fixed weights and inputs; run once per backend by test_parity.py.

Usage: KERAS_BACKEND=... python parity_step.py OUT.npz [--data-parallel]
(--data-parallel: JAX only, shards each batch over every visible device).
"""

import sys

import keras
import numpy as np
from keras import ops

from ganzoo.gan import GAN
from ganzoo.testing.toy import mlp

BATCH = 16
rng = np.random.default_rng(0)
REAL = rng.normal(size=(BATCH, 2)).astype("float32")
Z = rng.normal(size=(BATCH, 2)).astype("float32")
EPS = rng.uniform(size=(BATCH, 1)).astype("float32")
CASES = {
    "non_saturating": ("non_saturating", []),
    "minimax": ("minimax", []),
    "least_squares": ("least_squares", []),
    "wasserstein": ("wasserstein", []),
    "hinge": ("hinge", []),
    "relativistic_average": ("relativistic_average", []),
    "gp": ("wasserstein", [{"name": "gp", "weight": 10.0}]),
    "r1": ("non_saturating", [{"name": "r1", "weight": 5.0}]),
}


class FixedNoiseGAN(GAN):
    """Backends draw different random numbers; parity needs the same ones."""

    def sample_latent(self, n):
        return ops.convert_to_tensor(Z)

    def sample_uniform(self, shape):
        return ops.convert_to_tensor(EPS)


def initial_weights(model, seed):
    r = np.random.default_rng(seed)
    return [r.normal(scale=0.5, size=w.shape).astype("float32") for w in model.weights]


def run_case(loss, regularizers):
    g, d = mlp(2, 2, name="g"), mlp(2, 1, name="d")
    g.set_weights(initial_weights(g, 1))
    d.set_weights(initial_weights(d, 2))
    gan = FixedNoiseGAN(g, d, latent_dim=2)
    # SGD with momentum: stateful like Adam, but it does not blow numerical
    # noise up into full-size steps (Adam would, for RaGAN's D output bias,
    # whose gradient is zero up to rounding).
    gan.compile(keras.optimizers.SGD(0.1, momentum=0.5),
                keras.optimizers.SGD(0.1, momentum=0.5),
                loss=loss, regularizers=regularizers)
    logs = gan.fit(REAL, batch_size=BATCH, epochs=1, shuffle=False, verbose=0).history
    out = {f"log_{k}": np.float64(v[0]) for k, v in logs.items()}
    for i, w in enumerate(g.weights + d.weights):
        out[f"w{i}"] = np.asarray(ops.convert_to_numpy(w))
    return out


if __name__ == "__main__":
    if "--data-parallel" in sys.argv:
        keras.distribution.set_distribution(keras.distribution.DataParallel())
    results = {}
    for case, (loss, regs) in CASES.items():
        for key, value in run_case(loss, regs).items():
            results[f"{case}/{key}"] = value
    np.savez(sys.argv[1], **results)

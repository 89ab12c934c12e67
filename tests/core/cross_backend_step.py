"""Save on one backend, resume on another; run by test_cross_backend.py.

Usage: KERAS_BACKEND=... python cross_backend_step.py IN.keras|- OUT.keras OUT.npz

Loads ``IN.keras`` (or builds a tiny seeded DCGAN for ``-``), checks that it
holds what the previous backend recorded next to it (weights, random stream,
step, optimizer iterations, a sample), trains two more steps, saves
``OUT.keras`` and records the same values in ``OUT.npz``.
"""

import sys

import keras
import numpy as np
from keras import ops

import ganzoo

CONFIG = {"image_size": 16, "channels": 1, "base_filters": 4, "latent_dim": 4, "batch_size": 4,
          "seed": 7}
REAL = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype("float32")


def record(gan) -> dict:
    out = {"rng": ops.convert_to_numpy(gan.seed_generator.state).astype("int64"),
           "step": np.int64(gan.step),
           "g_iterations": np.int64(ops.convert_to_numpy(gan.g_optimizer.iterations)),
           "d_iterations": np.int64(ops.convert_to_numpy(gan.d_optimizer.iterations)),
           "sample": np.asarray(gan.generate(2, seed=3))}
    for i, w in enumerate(gan.weights):
        out[f"w{i}"] = np.asarray(ops.convert_to_numpy(w))
    return out


def main(source, target, record_path):
    if source == "-":
        gan = ganzoo.build("dcgan", **CONFIG)
    else:
        gan = ganzoo.load(source)
        saved = dict(np.load(source.replace(".keras", ".npz")))
        now = record(gan)
        assert sorted(now) == sorted(saved), (sorted(now), sorted(saved))
        for key, value in saved.items():
            np.testing.assert_allclose(now[key], value, atol=1e-5, err_msg=key)
    before = record(gan)
    gan.fit(REAL, batch_size=4, epochs=1, shuffle=False, verbose=0)
    after = record(gan)
    assert after["step"] == before["step"] + 2
    assert not np.array_equal(after["rng"], before["rng"])  # the stream moved on
    assert not np.allclose(after["w0"], before["w0"])  # the step trained
    gan.save(target)
    np.savez(record_path, **after)
    print(keras.backend.backend(), int(after["step"]))


if __name__ == "__main__":
    main(*sys.argv[1:4])

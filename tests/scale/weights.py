"""Weights of a run's final GAN as name -> array (used by the scale tests)."""

import numpy as np
from keras import ops


def run_weights(run_dir) -> dict:
    from ganzoo.training import load_checkpoint

    gan, _ = load_checkpoint(f"{run_dir}/gan.keras")
    return {f"{i}:{w.path}": np.asarray(ops.convert_to_numpy(w)) for i, w in enumerate(gan.weights)}


def assert_same_weights(a: dict, b: dict, rtol=1e-4, atol=1e-5) -> None:
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(b[key], a[key], rtol=rtol, atol=atol, err_msg=key)

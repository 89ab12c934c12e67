"""Small shared pieces for the augmentation tests: images and gradients."""

import keras
import numpy as np
from keras import ops

from ganzoo import backends


def images(n=4, size=8, channels=3, seed=0):
    """Random images in [-1, 1], NHWC float32."""
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype(
        "float32"
    )


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def input_gradient(pipeline, x, weights=None):
    """d/dx sum(w * pipeline(x)) with fixed random weights w (NumPy)."""
    w = np.random.default_rng(1).normal(size=x.shape).astype("float32") if weights is None else weights
    w = ops.convert_to_tensor(w)
    grad = backends.get().input_gradient(lambda t: pipeline(t, training=True) * w,
                                         ops.convert_to_tensor(x))
    return numpy(grad)


def reseed(pipeline, seed=3):
    """Put the pipeline's own stream at a known state (so two runs match)."""
    state = pipeline.seed_generator.state
    state.assign(np.array([seed, 0], dtype=keras.backend.standardize_dtype(state.dtype)))
    return pipeline

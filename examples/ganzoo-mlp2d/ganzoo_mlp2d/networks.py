"""Generator, discriminator and toy data for 2-D points."""

import keras
import numpy as np


def ring_of_gaussians(n, modes=8, radius=2.0, std=0.02, seed=0):
    """``n`` points from ``modes`` Gaussians evenly spaced on a circle."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * rng.integers(0, modes, n) / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (centers + std * rng.standard_normal((n, 2))).astype("float32")


def ring_centers(modes=8, radius=2.0):
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _mlp(input_dim, output_dim, hidden, depth, activation, name):
    inputs = keras.Input((input_dim,))
    x = inputs
    for _ in range(depth):
        x = keras.layers.Dense(hidden, activation=activation)(x)
    outputs = keras.layers.Dense(output_dim)(x)
    return keras.Model(inputs, outputs, name=name)


def build_generator(config):
    return _mlp(config.latent_dim, 2, config.hidden, config.depth, "relu", "mlp2d_generator")


def build_discriminator(config):
    return _mlp(2, 1, config.hidden, config.depth, "relu", "mlp2d_discriminator")

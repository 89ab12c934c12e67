"""A tiny image GAN (8x8x1) for the tests of augmentation inside ``GAN.fit``."""

import keras
import numpy as np

from ganzoo import GAN

LATENT = 4
SIZE = 8


def tiny_gan(seed=0, d_bias=0.0, **kwargs):
    """A dense G (latent -> 8x8x1, tanh) and a dense D, seeded weights and stream.

    ``d_bias`` starts D's logit there (a large one: D is sure every image is real).
    """
    init = keras.initializers.GlorotUniform(seed=seed)
    z = keras.Input((LATENT,))
    x = keras.layers.Dense(SIZE * SIZE, activation="tanh", kernel_initializer=init)(z)
    generator = keras.Model(z, keras.layers.Reshape((SIZE, SIZE, 1))(x))
    images = keras.Input((SIZE, SIZE, 1))
    h = keras.layers.Flatten()(images)
    h = keras.layers.Dense(8, activation="relu", kernel_initializer=init)(h)
    discriminator = keras.Model(images, keras.layers.Dense(
        1, kernel_initializer=init, bias_initializer=keras.initializers.Constant(d_bias))(h))
    return GAN(generator, discriminator, latent_dim=LATENT, seed=seed, **kwargs)


def real_images(n=16, seed=0):
    """Fixed random images in [-1, 1]."""
    return np.random.default_rng(seed).uniform(-1, 1, (n, SIZE, SIZE, 1)).astype("float32")

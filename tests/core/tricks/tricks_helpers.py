"""Tiny image GANs (8x8 grayscale) for the tests of ganzoo.tricks."""

import keras
import numpy as np
from keras import ops

from ganzoo.gan import GAN
from ganzoo.regularizers import StepContext

SIZE = 8


def generator(latent_dim=4):
    return keras.Sequential([keras.Input((latent_dim,)), keras.layers.Dense(SIZE * SIZE),
                             keras.layers.Reshape((SIZE, SIZE, 1))])


def discriminator():
    return keras.Sequential([keras.Input((SIZE, SIZE, 1)),
                             keras.layers.Conv2D(2, 3, padding="same", name="conv_a"),
                             keras.layers.Conv2D(2, 3, padding="same", name="conv_b"),
                             keras.layers.Flatten(), keras.layers.Dense(1, name="logit")])


def linear_discriminator(kernel):
    """D(x) = sum(kernel * x): its input gradient is ``kernel`` everywhere."""
    d = keras.Sequential([keras.Input((SIZE, SIZE, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(1, use_bias=False)])
    d.layers[-1].kernel.assign(np.asarray(kernel, "float32").reshape(-1, 1))
    return d


def tiny_gan(d=None, g=None, **compile_args):
    gan = GAN(g or generator(), d or discriminator(), latent_dim=4, seed=0)
    gan.compile(**compile_args)
    return gan


def images(n=8, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, SIZE, SIZE, 1)).astype("float32")


def context(gan, real, fake=None, z=None):
    real = ops.convert_to_tensor(real)
    fake = real if fake is None else ops.convert_to_tensor(fake)
    return StepContext(gan, real, fake, None, gan.discriminator_forward(real),
                       gan.discriminator_forward(fake), z)


def value(x):
    return float(ops.convert_to_numpy(x))


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def fit_once(gan, n=8):
    """One train step on ``n`` images; returns its logged values."""
    history = gan.fit(images(n), batch_size=n, epochs=1, verbose=0)
    return {k: v[-1] for k, v in history.history.items()}

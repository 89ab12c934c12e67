"""Tiny MLP networks for fast tests of GAN machinery (2-D points)."""

import keras
import numpy as np


def mlp(input_dim, output_dim, hidden=16, depth=2, name=None, seed=0):
    init = keras.initializers.GlorotUniform(seed=seed)
    inputs = keras.Input((input_dim,))
    x = inputs
    for _ in range(depth):
        x = keras.layers.Dense(hidden, activation="tanh", kernel_initializer=init)(x)
    outputs = keras.layers.Dense(output_dim, kernel_initializer=init)(x)
    return keras.Model(inputs, outputs, name=name)


def conditional_mlp(input_dim, output_dim, num_classes, hidden=16, name=None):
    inputs = keras.Input((input_dim,))
    labels = keras.Input((), dtype="int32")
    emb = keras.layers.Embedding(num_classes, 4)(labels)
    x = keras.layers.Concatenate()([inputs, emb])
    x = keras.layers.Dense(hidden, activation="tanh")(x)
    outputs = keras.layers.Dense(output_dim)(x)
    return keras.Model([inputs, labels], outputs, name=name)


def points(n, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype("float32")

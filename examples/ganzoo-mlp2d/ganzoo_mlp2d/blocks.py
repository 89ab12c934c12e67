"""The MLP that both networks are made of."""

import keras


def mlp(input_dim, output_dim, hidden, depth, activation, name):
    """``depth`` Dense layers of ``hidden`` units, then a linear output layer."""
    inputs = keras.Input((input_dim,))
    x = inputs
    for _ in range(depth):
        x = keras.layers.Dense(hidden, activation=activation)(x)
    outputs = keras.layers.Dense(output_dim)(x)
    return keras.Model(inputs, outputs, name=name)

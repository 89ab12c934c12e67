"""Blocks of WGAN-GP's networks: layer norm and the ResNet blocks (Appendix F).

As in the reference ``gan_cifar_resnet.py``: up-sampling residual blocks
(batch norm, ReLU, nearest up-sampling, 3x3 convs; 1x1 conv shortcut) for the
generator, and residual blocks with optional mean-pool down-sampling and no
normalization (or layer norm) for the critic.
"""

from __future__ import annotations

import keras


def layer_norm(name: str) -> keras.layers.Layer:
    """Layer norm over (H, W, C) with a per-channel affine, as the reference
    code's tflib Layernorm over axes [1, 2, 3]."""
    return keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)


def conv(filters, kernel_size, name):
    return keras.layers.Conv2D(filters, kernel_size, padding="same", name=name)


def up_block(x, filters, name):
    shortcut = conv(filters, 1, f"{name}_shortcut")(keras.layers.UpSampling2D()(x))
    x = keras.layers.BatchNormalization(name=f"{name}_bn1")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.UpSampling2D()(x)
    x = conv(filters, 3, f"{name}_conv1")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn2")(x)
    x = keras.layers.ReLU()(x)
    x = conv(filters, 3, f"{name}_conv2")(x)
    return keras.layers.Add()([shortcut, x])


def pool(x):
    return keras.layers.AveragePooling2D(2)(x)


def critic_block(x, filters, norm, down, name):
    shortcut = x
    if down:
        shortcut = pool(conv(filters, 1, f"{name}_shortcut")(x))
    elif x.shape[-1] != filters:
        shortcut = conv(filters, 1, f"{name}_shortcut")(x)
    for i in (1, 2):
        if norm == "layer":
            x = layer_norm(f"{name}_norm{i}")(x)
        x = keras.layers.ReLU()(x)
        x = conv(filters, 3, f"{name}_conv{i}")(x)
    if down:
        x = pool(x)
    return keras.layers.Add()([shortcut, x])

"""ResNet generator and critic of WGAN-GP (Gulrajani et al. 2017, Appendix F).

As in the reference ``gan_cifar_resnet.py``: the generator projects z to
4x4 x DIM and runs one up-sampling residual block per doubling (batch norm,
ReLU, nearest up-sampling, 3x3 convs; 1x1 conv shortcut), then BN, ReLU, a
3x3 conv and tanh. The critic has an "optimized" first block (conv, ReLU,
conv, mean-pool; shortcut mean-pool then 1x1 conv), down-sampling blocks to
8x8, two blocks at 8x8, then ReLU, global mean pooling and one linear unit.
The critic has no normalization by default (``norm="layer"`` adds layer norm).
"""

from __future__ import annotations

import keras
from ganzoo_dcgan.blocks import num_blocks

from ganzoo_wgan.critic import layer_norm


def _conv(filters, kernel_size, name):
    return keras.layers.Conv2D(filters, kernel_size, padding="same", name=name)


def _up_block(x, filters, name):
    shortcut = _conv(filters, 1, f"{name}_shortcut")(keras.layers.UpSampling2D()(x))
    x = keras.layers.BatchNormalization(name=f"{name}_bn1")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.UpSampling2D()(x)
    x = _conv(filters, 3, f"{name}_conv1")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn2")(x)
    x = keras.layers.ReLU()(x)
    x = _conv(filters, 3, f"{name}_conv2")(x)
    return keras.layers.Add()([shortcut, x])


def _pool(x):
    return keras.layers.AveragePooling2D(2)(x)


def _critic_block(x, filters, norm, down, name):
    shortcut = x
    if down:
        shortcut = _pool(_conv(filters, 1, f"{name}_shortcut")(x))
    elif x.shape[-1] != filters:
        shortcut = _conv(filters, 1, f"{name}_shortcut")(x)
    for i in (1, 2):
        if norm == "layer":
            x = layer_norm(f"{name}_norm{i}")(x)
        x = keras.layers.ReLU()(x)
        x = _conv(filters, 3, f"{name}_conv{i}")(x)
    if down:
        x = _pool(x)
    return keras.layers.Add()([shortcut, x])


def resnet_generator(
    latent_dim: int,
    image_size: int,
    channels: int,
    filters: int = 128,
    name: str = "resnet_generator",
) -> keras.Model:
    """z -> 4x4 x filters -> one up block per doubling -> image in [-1, 1]."""
    z = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(4 * 4 * filters, name="project")(z)
    x = keras.layers.Reshape((4, 4, filters))(x)
    for i in range(num_blocks(image_size)):
        x = _up_block(x, filters, f"up{i + 1}")
    x = keras.layers.BatchNormalization(name="out_bn")(x)
    x = keras.layers.ReLU()(x)
    x = _conv(channels, 3, "to_image")(x)
    images = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(z, images, name=name)


def resnet_critic(
    image_size: int,
    channels: int,
    filters: int = 128,
    norm: str = "none",
    name: str = "resnet_critic",
) -> keras.Model:
    """image -> optimized block -> down blocks to 8x8 (4x4 for 8x8 input) -> 2 blocks -> value."""
    images = keras.Input((image_size, image_size, channels), name="images")
    # The "optimized" first block: no activation before its first conv.
    shortcut = _conv(filters, 1, "block1_shortcut")(_pool(images))
    x = _conv(filters, 3, "block1_conv1")(images)
    if norm == "layer":
        x = layer_norm("block1_norm")(x)
    x = keras.layers.ReLU()(x)
    x = _pool(_conv(filters, 3, "block1_conv2")(x))
    x = keras.layers.Add()([shortcut, x])
    block = 2
    while x.shape[1] > 8:
        x = _critic_block(x, filters, norm, True, f"block{block}")
        block += 1
    for _ in range(2):
        x = _critic_block(x, filters, norm, False, f"block{block}")
        block += 1
    x = keras.layers.ReLU()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    value = keras.layers.Dense(1, dtype="float32", name="critic")(x)
    return keras.Model(images, value, name=name)

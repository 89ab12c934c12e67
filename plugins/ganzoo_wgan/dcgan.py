"""A DCGAN-style backbone (Radford et al. 2016) for WGAN, WGAN-GP and LSGAN.

The generator projects z to 4x4, then doubles the resolution with strided
transposed convolutions while halving the channels, ending in tanh. The
critic mirrors it with strided convolutions and leaky ReLU 0.2, and ends in
one linear unit (no sigmoid: the losses take logits or critic values).

TODO(dedup): ganzoo_dcgan provides the DCGAN networks; once it has landed,
build on its builders here and keep only the critic's norm options.
"""

from __future__ import annotations

import math

import keras

DCGAN_INIT = keras.initializers.RandomNormal(stddev=0.02)  # Radford et al. 2016


def num_doublings(image_size: int) -> int:
    """Stride-2 stages between 4x4 and ``image_size``."""
    return int(math.log2(image_size // 4))


def _norm(kind: str, name: str) -> keras.layers.Layer | None:
    if kind == "batch":
        return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)
    if kind == "layer":
        # Layer norm over (H, W, C) with a per-channel affine, as in the
        # reference WGAN-GP code (tflib's Layernorm over axes [1, 2, 3]).
        return keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)
    return None


def dcgan_generator(
    latent_dim: int,
    image_size: int,
    channels: int,
    filters: int = 64,
    kernel_size: int = 4,
    batch_norm: bool = True,
    kernel_initializer="dcgan",
    name: str = "dcgan_generator",
) -> keras.Model:
    """z -> 4x4 x (filters * 2^(n-1)) -> ... -> image_size x image_size x channels.

    With ``image_size=32`` and ``filters=64`` this is the WGAN-GP paper's
    CIFAR-10 DCGAN generator (4*DIM, 2*DIM, DIM channels).
    """
    init = DCGAN_INIT if kernel_initializer == "dcgan" else kernel_initializer
    n = num_doublings(image_size)
    norm = "batch" if batch_norm else "none"
    z = keras.Input((latent_dim,), name="z")
    width = filters * 2 ** (n - 1)
    x = keras.layers.Dense(
        4 * 4 * width, use_bias=not batch_norm, kernel_initializer=init, name="project"
    )(z)
    x = keras.layers.Reshape((4, 4, width))(x)
    if (layer := _norm(norm, "project_norm")) is not None:
        x = layer(x)
    x = keras.layers.ReLU()(x)
    for i in range(1, n):
        width = filters * 2 ** (n - 1 - i)
        x = keras.layers.Conv2DTranspose(
            width,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=not batch_norm,
            kernel_initializer=init,
            name=f"up{i}",
        )(x)
        if (layer := _norm(norm, f"up{i}_norm")) is not None:
            x = layer(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2DTranspose(
        channels,
        kernel_size,
        strides=2,
        padding="same",
        kernel_initializer=init,
        name="to_image",
    )(x)
    images = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(z, images, name=name)


def dcgan_critic(
    image_size: int,
    channels: int,
    filters: int = 64,
    kernel_size: int = 4,
    norm: str = "batch",
    kernel_initializer="dcgan",
    name: str = "dcgan_critic",
) -> keras.Model:
    """image -> strided convs (filters, 2*filters, ...) down to 4x4 -> one value.

    ``norm`` is applied after every conv but the first: "batch" (DCGAN, WGAN,
    LSGAN), "layer" or "none" (WGAN-GP's critic, whose gradient penalty is
    per sample and so cannot use batch statistics).
    """
    init = DCGAN_INIT if kernel_initializer == "dcgan" else kernel_initializer
    n = num_doublings(image_size)
    images = keras.Input((image_size, image_size, channels), name="images")
    x = images
    for i in range(n):
        with_norm = i > 0 and norm != "none"
        x = keras.layers.Conv2D(
            filters * 2**i,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=not (with_norm and norm == "batch"),
            kernel_initializer=init,
            name=f"down{i}",
        )(x)
        if with_norm:
            x = _norm(norm, f"down{i}_norm")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    logits = keras.layers.Dense(
        1, kernel_initializer=init, dtype="float32", name="critic"
    )(x)
    return keras.Model(images, logits, name=name)

"""DCGAN's building blocks (Radford, Metz & Chintala 2016, arXiv:1511.06434).

The paper's architecture guidelines (Section 3): strided convolutions instead
of pooling, fractionally-strided (transposed) convolutions in G, batch norm in
both networks except G's output and D's input layer, no fully connected hidden
layers, ReLU in G with a tanh output, leaky ReLU (slope 0.2) in D. Weights are
drawn from N(0, 0.02) (Section 4; the reference code draws batch-norm gammas
from N(1, 0.02)). ``dcgan`` and ``cgan`` build their networks from these.
"""

from __future__ import annotations

import math

import keras

INIT_STDDEV = 0.02  # Section 4: "zero-centered Normal distribution with std 0.02"
LEAKY_SLOPE = 0.2  # Section 4: "the slope of the leak was set to 0.2"


def weight_init() -> keras.initializers.Initializer:
    """N(0, 0.02); a fresh instance per layer (an unseeded Keras initializer
    repeats its values when reused)."""
    return keras.initializers.RandomNormal(0.0, INIT_STDDEV)


def gamma_init() -> keras.initializers.Initializer:
    """N(1, 0.02) for batch-norm scales, as in the reference code."""
    return keras.initializers.RandomNormal(1.0, INIT_STDDEV)


def num_blocks(image_size: int) -> int:
    """Stride-2 stages between the 4x4 map and ``image_size``."""
    return int(math.log2(image_size // 4))


def batch_norm(name: str) -> keras.layers.BatchNormalization:
    # momentum 0.9 / epsilon 1e-5: the reference implementations' settings.
    return keras.layers.BatchNormalization(
        momentum=0.9, epsilon=1e-5, gamma_initializer=gamma_init(), name=name
    )


def project(x, width: int, name: str = "project"):
    """z -> dense -> 4x4 x width -> BN -> ReLU (the "project and reshape" of Fig. 1)."""
    x = keras.layers.Dense(
        4 * 4 * width, use_bias=False, kernel_initializer=weight_init(), name=name
    )(x)
    x = keras.layers.Reshape((4, 4, width), name=f"{name}_reshape")(x)
    x = batch_norm(f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def up_block(x, filters: int, kernel_size: int, name: str):
    """Stride-2 transposed conv (doubles H and W) -> BN -> ReLU."""
    x = keras.layers.Conv2DTranspose(
        filters,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=weight_init(),
        name=name,
    )(x)
    x = batch_norm(f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def to_image(x, channels: int, kernel_size: int, use_bias: bool = True):
    """The output layer: stride-2 transposed conv and tanh, no batch norm."""
    x = keras.layers.Conv2DTranspose(
        channels,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=use_bias,
        kernel_initializer=weight_init(),
        name="to_image",
    )(x)
    return keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)


def down_block(x, filters: int, kernel_size: int, name: str, normalize: bool = True,
               use_bias: bool = True):
    """Stride-2 conv (halves H and W) -> BN (unless ``normalize=False``) -> LeakyReLU.

    The conv has a bias only without batch norm, and then only if ``use_bias``."""
    x = keras.layers.Conv2D(
        filters,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=use_bias and not normalize,
        kernel_initializer=weight_init(),
        name=name,
    )(x)
    if normalize:
        x = batch_norm(f"{name}_bn")(x)
    return keras.layers.LeakyReLU(LEAKY_SLOPE, name=f"{name}_lrelu")(x)


def generator_body(
    x, image_size: int, channels: int, base_filters: int, kernel_size: int,
    use_bias: bool = True,
):
    """A latent vector -> an image in [-1, 1].

    The 4x4 map has ``base_filters * 2^(n-1)`` channels, halved at each of
    the n stride-2 stages (n = log2(image_size / 4)); with ``image_size=64``
    and ``base_filters=128`` this is Figure 1: 1024, 512, 256, 128, 3.
    ``use_bias=False`` drops the output conv's bias (the only one G has).
    """
    n = num_blocks(image_size)
    x = project(x, base_filters * 2 ** (n - 1))
    for i in range(1, n):
        x = up_block(x, base_filters * 2 ** (n - 1 - i), kernel_size, f"up{i}")
    return to_image(x, channels, kernel_size, use_bias)


def discriminator_features(x, image_size: int, base_filters: int, kernel_size: int,
                           use_bias: bool = True):
    """An image (possibly with extra channels) -> D's flattened 4x4 features."""
    for i in range(num_blocks(image_size)):
        x = down_block(x, base_filters * 2**i, kernel_size, f"down{i + 1}",
                       normalize=i > 0, use_bias=use_bias)
    return keras.layers.Flatten(name="flatten")(x)


def discriminator_body(x, image_size: int, base_filters: int, kernel_size: int,
                       use_bias: bool = True):
    """An image (possibly with extra channels) -> one logit.

    Mirrors the generator: n stride-2 convs (base_filters, 2x, 4x ... down to
    4x4), batch norm on all but the first, then the 4x4 map is flattened into
    a single linear output (the paper's sigmoid unit, left as a logit because
    ganzoo's losses take logits). ``use_bias=False`` drops the first conv's
    and the logit's biases (the only ones D has).
    """
    x = discriminator_features(x, image_size, base_filters, kernel_size, use_bias)
    return keras.layers.Dense(
        1, use_bias=use_bias, kernel_initializer=weight_init(), dtype="float32",
        name="logit",
    )(x)

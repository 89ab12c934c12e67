"""ResNet blocks of the SAGAN and BigGAN networks, as functional-graph helpers.

Both papers build on the SN-GAN ResNets (Miyato et al. 2018) with wide D
blocks: the official SAGAN code (``generator.py``/``discriminator.py``) and
BigGAN-PyTorch (``layers.GBlock``/``layers.DBlock``) use the same blocks, so
BigGAN imports them from here.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
from keras import ops

from ganzoo.layers import SelfAttention, SNConv2D

# A normalization applied inside a G block: ``norm(x, name) -> x``. SAGAN
# passes class-conditional BN on labels, BigGAN cBN on [embedding, z chunk].
Norm = Callable[[keras.KerasTensor, str], keras.KerasTensor]

BN_MOMENTUM = 0.9  # PyTorch's 0.1
BN_EPSILON = 1e-5


def fresh_initializer(initializer):
    """A new instance per layer (one unseeded instance must not build several)."""
    initializer = keras.initializers.get(initializer)
    return initializer.__class__.from_config(initializer.get_config())


def sn_conv(filters: int, kernel_size: int, name: str, initializer,
            sigma_estimate: str = "stored", spectral_norm: bool = True):
    """A "same" conv, spectrally normalized unless ``spectral_norm=False``
    (SN-GAN's generator has plain convs)."""
    if not spectral_norm:
        return keras.layers.Conv2D(filters, kernel_size, padding="same",
                                   kernel_initializer=fresh_initializer(initializer),
                                   name=name)
    return SNConv2D(
        filters,
        kernel_size,
        padding="same",
        kernel_initializer=fresh_initializer(initializer),
        sigma_estimate=sigma_estimate,
        name=name,
    )


def batch_norm(name: str, epsilon: float = BN_EPSILON) -> keras.layers.BatchNormalization:
    return keras.layers.BatchNormalization(
        momentum=BN_MOMENTUM, epsilon=epsilon, name=name
    )


def up_block(x, filters: int, norm: Norm, name: str, initializer,
             sigma_estimate: str = "stored", spectral_norm: bool = True):
    """G block: norm-ReLU-up-conv3-norm-ReLU-conv3, plus up-conv1 shortcut."""
    def conv(k, suffix):
        return sn_conv(filters, k, f"{name}_{suffix}", initializer, sigma_estimate,
                       spectral_norm)
    shortcut = keras.layers.UpSampling2D(name=f"{name}_shortcut_up")(x)
    shortcut = conv(1, "shortcut")(shortcut)
    h = keras.layers.ReLU()(norm(x, f"{name}_norm1"))
    h = keras.layers.UpSampling2D(name=f"{name}_up")(h)
    h = conv(3, "conv1")(h)
    h = keras.layers.ReLU()(norm(h, f"{name}_norm2"))
    h = conv(3, "conv2")(h)
    return keras.layers.Add(name=f"{name}_add")([shortcut, h])


def down_block(
    x,
    filters: int,
    name: str,
    initializer,
    downsample: bool = True,
    preactivation: bool = True,
    sigma_estimate: str = "stored",
    activated_shortcut: bool = False,
):
    """D block: [ReLU]-conv3-ReLU-conv3-[pool], plus a 1x1 conv shortcut.

    The first block of D has no pre-activation (SN-GAN's "optimized" block);
    its shortcut pools before the 1x1 conv, the others convolve first. The
    shortcut is the identity when the block keeps resolution and width.
    With ``activated_shortcut`` the shortcut starts from the pre-activated
    (ReLU'd) input instead of the input (StudioGAN's blocks, whose in-place
    ReLU overwrites the tensor their shortcut then reads).
    """
    def conv(k, suffix):
        return sn_conv(filters, k, f"{name}_{suffix}", initializer, sigma_estimate)
    h_in = keras.layers.ReLU()(x) if preactivation else x
    h = conv(3, "conv1")(h_in)
    h = keras.layers.ReLU()(h)
    h = conv(3, "conv2")(h)
    if downsample:
        h = keras.layers.AveragePooling2D(2, name=f"{name}_pool")(h)
    shortcut = h_in if activated_shortcut and preactivation else x
    if downsample or x.shape[-1] != filters:
        project = conv(1, "shortcut")
        pool = keras.layers.AveragePooling2D(2, name=f"{name}_shortcut_pool")
        if not downsample:
            shortcut = project(shortcut)
        elif preactivation:
            shortcut = pool(project(shortcut))
        else:
            shortcut = project(pool(shortcut))
    return keras.layers.Add(name=f"{name}_add")([shortcut, h])


def attention(x, name: str, initializer, sigma_estimate: str = "stored"):
    """SAGAN's self-attention with SN convs and 2x2-pooled keys and values
    (the official code max-pools the 1x1 convs' outputs, not their input)."""
    return SelfAttention(
        spectral_norm=True,
        pool_key_value=True,
        pool_after_conv=True,
        sigma_estimate=sigma_estimate,
        kernel_initializer=fresh_initializer(initializer),
        name=name,
    )(x)


def to_image(x, channels: int, initializer, sigma_estimate: str = "stored",
             spectral_norm: bool = True, epsilon: float = BN_EPSILON):
    """G's output: BN-ReLU-conv3-tanh, in float32 under mixed precision."""
    x = keras.layers.ReLU()(batch_norm("output_norm", epsilon)(x))
    x = sn_conv(channels, 3, "to_image", initializer, sigma_estimate, spectral_norm)(x)
    return keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)


@keras.saving.register_keras_serializable(package="ganzoo_sagan")
class GlobalSumPooling2D(keras.layers.Layer):
    """Sum over height and width: (B, H, W, C) -> (B, C), as D's last step
    in SN-GAN, SAGAN and BigGAN (a sum, not a mean)."""

    def call(self, inputs):
        return ops.sum(inputs, axis=(1, 2))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

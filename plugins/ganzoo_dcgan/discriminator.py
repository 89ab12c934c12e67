"""Discriminators: DCGAN's (Radford et al. 2016) and its class-conditional form.

The conditional discriminator follows Mirza & Osindero 2014 (arXiv:1411.1784),
Section 3.2: "x and y are presented as inputs to a discriminative function".
On a convolutional D, y is given as one extra input channel: a learned
image_size x image_size map per class (a label embedding of size H*W,
reshaped), concatenated with the image before D's first convolution
(``d_conditioning="input"``, cgan's default). Any registered conditioning of
D (``ganzoo.conditioning``: projection, acgan, contragan, mhgan ...) takes its
place as the head on D's flattened 4x4 features, as in PyTorch-StudioGAN's
DCGAN backbone.
"""

from __future__ import annotations

import keras

from ganzoo import conditioning
from ganzoo_dcgan.blocks import discriminator_body, discriminator_features, weight_init


def dcgan_discriminator(
    image_size: int,
    channels: int,
    base_filters: int = 128,
    kernel_size: int = 5,
    name: str = "dcgan_discriminator",
    use_bias: bool = True,
) -> keras.Model:
    """image -> one logit."""
    images = keras.Input((image_size, image_size, channels), name="images")
    logit = discriminator_body(images, image_size, base_filters, kernel_size, use_bias)
    return keras.Model(images, logit, name=name)


def cgan_discriminator(
    num_classes: int,
    image_size: int,
    channels: int,
    base_filters: int = 128,
    kernel_size: int = 5,
    name: str = "cgan_discriminator",
    use_bias: bool = True,
) -> keras.Model:
    """[images, labels] -> one logit: is this a real image of this class?"""
    images = keras.Input((image_size, image_size, channels), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    # N(0, 1): a label map on the scale of the [-1, 1] image it sits beside.
    label_map = keras.layers.Embedding(
        num_classes,
        image_size * image_size,
        embeddings_initializer=keras.initializers.RandomNormal(0.0, 1.0),
        name="label_map",
    )(labels)
    label_map = keras.layers.Reshape(
        (image_size, image_size, 1), name="label_map_reshape"
    )(label_map)
    x = keras.layers.Concatenate(name="image_and_label")([images, label_map])
    logit = discriminator_body(x, image_size, base_filters, kernel_size, use_bias)
    return keras.Model([images, labels], logit, name=name)


def headed_discriminator(
    d_conditioning,
    num_classes: int,
    image_size: int,
    channels: int,
    base_filters: int = 128,
    kernel_size: int = 5,
    name: str = "cgan_discriminator",
    use_bias: bool = True,
) -> keras.Model:
    """[images, labels] -> the head of ``d_conditioning`` on DCGAN's flattened features."""
    images = keras.Input((image_size, image_size, channels), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    features = discriminator_features(images, image_size, base_filters, kernel_size, use_bias)
    head = conditioning.get(d_conditioning, extra=("input",))
    out = head.make_head(num_classes, spectral_norm=False,
                         kernel_initializer=weight_init())([features, labels])
    return keras.Model([images, labels], out, name=name)


def build_discriminator(config) -> keras.Model:
    """DCGAN's discriminator for a ``DCGANConfig``; the conditional one when it has classes
    (its ``d_conditioning``: the label map at the input, or a registered head)."""
    width = config.d_base_filters or config.base_filters
    choice = getattr(config, "d_conditioning", "input")
    if config.num_classes and choice != "input":
        return headed_discriminator(choice, config.num_classes, config.image_size,
                                    config.channels, width, config.kernel_size,
                                    use_bias=config.use_bias)
    if config.num_classes:
        return cgan_discriminator(config.num_classes, config.image_size, config.channels,
                                  width, config.kernel_size, use_bias=config.use_bias)
    return dcgan_discriminator(config.image_size, config.channels, width,
                               config.kernel_size, use_bias=config.use_bias)

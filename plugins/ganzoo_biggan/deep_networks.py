"""BigGAN-deep's networks (Brock et al. 2019, Appendix B, Figure 16).

Both are built from bottleneck residual blocks: a 1x1 conv from the block's
width down to ``width / channel_ratio`` channels, two 3x3 convs at that
width and a 1x1 conv out to the block's output width. There are
``blocks_per_resolution`` blocks at every resolution; only one of them
changes the resolution and the width.

- G's block (cBN-ReLU before each conv, on ``[shared embedding, z]``):
  the first blocks of a resolution keep the width, the last one up-samples
  (between its first two convs) and narrows. Its skip connection has no
  conv: it keeps the first ``out`` channels of the input and drops the rest.
- D's block (ReLU before each conv, no normalization): the first block of a
  resolution halves it (average pooling before the last 1x1 conv) and
  widens. Its skip connection keeps the input channels unchanged and
  concatenates ``out - in`` new ones from a 1x1 conv of the (pooled) input.

G: ``[embedding, z]`` -> SN linear -> 4x4 -> blocks -> BN-ReLU-conv3-tanh.
D: SN conv3 -> blocks -> ReLU -> sum over space -> the head of
``d_conditioning`` (projection by default). Self-attention follows the
resolution whose output has the attention resolution, in both.
"""

from __future__ import annotations

import keras
from ganzoo_sagan.blocks import GlobalSumPooling2D, fresh_initializer
from ganzoo_sagan.config import widths

from ganzoo import conditioning
from ganzoo.layers import ProjectionHead, SNDense
from ganzoo_biggan.blocks import LayerOptions, layer_options
from ganzoo_biggan.generator import SHARED_EMBEDDING


@keras.saving.register_keras_serializable(package="ganzoo_biggan")
class KeepChannels(keras.layers.Layer):
    """The first ``channels`` channels of an NHWC tensor (G's skip connection).

    Args:
        channels: int, how many leading channels to keep.
    """

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = int(channels)

    def call(self, inputs):
        return inputs[..., : self.channels]

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.channels)

    def get_config(self):
        return {**super().get_config(), "channels": self.channels}


def g_block(x, cond, out_channels: int, upsample: bool, ratio: int, name: str,
            options: LayerOptions):
    """G's bottleneck block: 4 x (cBN-ReLU-conv), 1x1 / 3x3 / 3x3 / 1x1, up-sampling
    between the first two; the skip drops channels and up-samples."""
    in_channels = x.shape[-1]
    hidden = in_channels // ratio

    def norm_relu(h, index):
        return keras.layers.ReLU()(options.cbn(f"{name}_norm{index}")([h, cond]))

    h = options.sn_conv(hidden, 1, f"{name}_conv1")(norm_relu(x, 1))
    h = norm_relu(h, 2)
    skip = x
    if out_channels != in_channels:
        skip = KeepChannels(out_channels, name=f"{name}_keep_channels")(skip)
    if upsample:
        h = keras.layers.UpSampling2D(name=f"{name}_up")(h)
        skip = keras.layers.UpSampling2D(name=f"{name}_skip_up")(skip)
    h = options.sn_conv(hidden, 3, f"{name}_conv2")(h)
    h = options.sn_conv(hidden, 3, f"{name}_conv3")(norm_relu(h, 3))
    h = options.sn_conv(out_channels, 1, f"{name}_conv4")(norm_relu(h, 4))
    return keras.layers.Add(name=f"{name}_add")([skip, h])


def d_block(x, out_channels: int, downsample: bool, ratio: int, name: str,
            options: LayerOptions):
    """D's bottleneck block: 4 x (ReLU-conv), 1x1 / 3x3 / 3x3 / 1x1, pooling before
    the last; the skip pools and concatenates new channels from a 1x1 conv."""
    in_channels = x.shape[-1]
    hidden = out_channels // ratio
    h = x
    for index, (width, size) in enumerate(((hidden, 1), (hidden, 3), (hidden, 3)), 1):
        h = options.sn_conv(width, size, f"{name}_conv{index}")(keras.layers.ReLU()(h))
    h = keras.layers.ReLU()(h)
    skip = x
    if downsample:
        h = keras.layers.AveragePooling2D(2, name=f"{name}_pool")(h)
        skip = keras.layers.AveragePooling2D(2, name=f"{name}_skip_pool")(skip)
    h = options.sn_conv(out_channels, 1, f"{name}_conv4")(h)
    if out_channels != in_channels:
        extra = options.sn_conv(out_channels - in_channels, 1, f"{name}_skip_conv")(skip)
        skip = keras.layers.Concatenate(name=f"{name}_skip_concat")([skip, extra])
    return keras.layers.Add(name=f"{name}_add")([skip, h])


def deep_generator(latent_dim: int, channels: int, widths: list[int], num_classes: int,
                   shared_dim: int = 128, attention_resolution: int = 0,
                   blocks_per_resolution: int = 2, channel_ratio: int = 4,
                   options: LayerOptions | None = None,
                   name: str = "biggan_deep_generator") -> keras.Model:
    """``[z, labels]`` -> images in [-1, 1], 4 * 2^(len(widths) - 1) pixels wide.

    ``widths[0]`` is the width at 4x4 and ``widths[i]`` at the end of resolution i.
    """
    options = options or LayerOptions()
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    shared = keras.layers.Embedding(
        num_classes, shared_dim, embeddings_initializer=fresh_initializer(options.initializer),
        name=SHARED_EMBEDDING)(labels)
    cond = keras.layers.Concatenate(name="condition")([shared, z])
    x = options.sn_dense(4 * 4 * widths[0], "project")(cond)
    x = keras.layers.Reshape((4, 4, widths[0]))(x)
    for level, width in enumerate(widths[1:], 1):
        for index in range(blocks_per_resolution):
            last = index == blocks_per_resolution - 1
            x = g_block(x, cond, width if last else x.shape[-1], last, channel_ratio,
                        f"block{level}_{index + 1}", options)
        if x.shape[1] == attention_resolution:
            x = options.attention(x)
    return keras.Model([z, labels], options.to_image(x, channels), name=name)


def deep_discriminator(image_size: int, channels: int, widths: list[int],
                       num_classes: int, attention_resolution: int = 0,
                       blocks_per_resolution: int = 2, channel_ratio: int = 4,
                       final_resolution: int = 4, d_conditioning="projection",
                       options: LayerOptions | None = None,
                       name: str = "biggan_deep_discriminator") -> keras.Model:
    """``[images, labels]`` -> (B, 1) logits, or the dict of ``d_conditioning``'s head.

    ``widths[0]`` is the input conv's width and ``widths[i]`` that of resolution
    i's blocks; every resolution halves the size until ``final_resolution``.
    """
    options = options or LayerOptions()
    images = keras.Input((image_size, image_size, channels), name="images")
    x = options.sn_conv(widths[0], 3, "input_conv")(images)
    attended = False
    for level, width in enumerate(widths[1:], 1):
        downsample = x.shape[1] > final_resolution
        for index in range(blocks_per_resolution):
            x = d_block(x, width, downsample and index == 0, channel_ratio,
                        f"block{level}_{index + 1}", options)
        if not attended and x.shape[1] == attention_resolution:
            x = options.attention(x)
            attended = True
    features = GlobalSumPooling2D(name="sum_pool")(keras.layers.ReLU()(x))
    head = conditioning.get(d_conditioning)
    conditioning.check_labels(head.name, num_classes)
    initializer = fresh_initializer(options.initializer)
    if not num_classes:  # validate() rules it out for BigGAN-deep; kept for direct callers
        logits = SNDense(1, kernel_initializer=initializer, name="logits")(features)
        return keras.Model(images, logits, name=name)
    labels = keras.Input((), dtype="int32", name="labels")
    if head.name == "projection":  # built here to follow spectral_norm_sigma
        make = ProjectionHead(num_classes, spectral_norm=True, kernel_initializer=initializer,
                              sigma_estimate=options.sigma_estimate, name="projection")
    else:
        make = head.make_head(num_classes, spectral_norm=True, kernel_initializer=initializer)
    logits = make([features, labels])
    return keras.Model([images, labels], logits, name=name)


def build_deep_generator(config) -> keras.Model:
    """BigGAN-deep's generator for a ``BigGANDeepConfig``."""
    return deep_generator(config.latent_dim, config.channels,
                          widths(config.base_filters, config.g_multipliers),
                          config.num_classes, config.shared_dim,
                          config.resolved_attention_resolution, config.blocks_per_resolution,
                          config.channel_ratio, layer_options(config))


def build_deep_discriminator(config) -> keras.Model:
    """BigGAN-deep's discriminator for a ``BigGANDeepConfig``."""
    return deep_discriminator(config.image_size, config.channels,
                              widths(config.base_filters, config.d_multipliers),
                              config.num_classes, config.resolved_d_attention_resolution,
                              config.blocks_per_resolution, config.channel_ratio,
                              config.d_final_resolution, config.d_conditioning,
                              layer_options(config))

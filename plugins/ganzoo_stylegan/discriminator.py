"""StyleGAN's discriminators: StyleGAN2's plain ("orig") one (the default), or the
official StyleGAN one at full resolution (``discriminator="stylegan"``)."""

from __future__ import annotations

import keras
import numpy as np
from ganzoo_stylegan2.discriminator import build_discriminator as build_stylegan2_d
from ganzoo_stylegan2.generator import synthesis_widths
from keras import ops

from ganzoo.layers import EqualizedConv2D, EqualizedDense, MinibatchStdDev

DISCRIMINATORS = ("orig", "stylegan")


def _lrelu(x):
    return ops.leaky_relu(x, negative_slope=0.2)


@keras.saving.register_keras_serializable(package="ganzoo_stylegan")
class StyleGANDiscriminator(keras.Model):
    """image -> one logit: the official StyleGAN discriminator at level of detail 0.

    fromRGB (1x1 conv) at the input resolution; per resolution down to 8x8 a
    3x3 conv, then the [1,2,1] blur, a 3x3 conv to the next width and 2x2
    average pooling; at 4x4 minibatch stddev, a 3x3 conv, a dense layer
    ``min(base_filters // 2, max_filters)`` wide and the output layer. Every
    layer has equalized learning rate with He's gain sqrt(2) in its weights
    (1 for the output layer), a bias and a leaky ReLU (0.2) without gain, as
    the official code.
    """

    def __init__(self, image_size, channels=3, base_filters=16384, max_filters=512,
                 mbstd_group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.image_size = image_size
        self.channels = channels
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.mbstd_group_size = mbstd_group_size
        widths = synthesis_widths(image_size, base_filters, max_filters)
        self.from_rgb = EqualizedConv2D(widths[image_size], 1, name="fromrgb")
        self.blocks, res = [], image_size
        while res > 4:
            self.blocks.append((
                EqualizedConv2D(widths[res], 3, padding="same", name=f"b{res}_conv0"),
                EqualizedConv2D(widths[res // 2], 3, padding="same", name=f"b{res}_conv1"),
            ))
            res //= 2
        self.mbstd = MinibatchStdDev(mbstd_group_size, name="b4_mbstd")
        self.epilogue_conv = EqualizedConv2D(widths[4], 3, padding="same", name="b4_conv")
        self.fc = EqualizedDense(min(base_filters // 2, max_filters), name="b4_fc")
        self.out = EqualizedDense(1, gain=1.0, name="b4_out")

    def build(self, input_shape):
        batch = input_shape[0]
        shape = (batch, self.image_size, self.image_size, self.channels)
        self.from_rgb.build(shape)
        width, res = self.from_rgb.filters, self.image_size
        for conv0, conv1 in self.blocks:
            conv0.build((batch, res, res, width))
            conv1.build((batch, res, res, conv0.filters))
            width, res = conv1.filters, res // 2
        self.mbstd.build((batch, 4, 4, width))
        self.epilogue_conv.build((batch, 4, 4, width + 1))
        self.fc.build((batch, 16 * self.epilogue_conv.filters))
        self.out.build((batch, self.fc.units))
        self.built = True

    def call(self, images, training=False):
        from ganzoo_stylegan.generator import blur

        x = _lrelu(self.from_rgb(ops.cast(images, "float32")))
        for conv0, conv1 in self.blocks:
            x = _lrelu(conv0(x))
            x = conv1(blur(x))  # the bias commutes with the pooling
            x = _lrelu(ops.average_pool(x, 2, strides=2, padding="valid"))
        x = _lrelu(self.epilogue_conv(self.mbstd(x)))
        x = _lrelu(self.fc(ops.reshape(x, (-1, 16 * x.shape[-1]))))
        return self.out(x)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        return {**super().get_config(), "image_size": self.image_size,
                "channels": self.channels, "base_filters": self.base_filters,
                "max_filters": self.max_filters, "mbstd_group_size": self.mbstd_group_size}


def build_discriminator(config):
    """The built discriminator of a ``StyleGANConfig``: StyleGAN2's plain one, or the
    official StyleGAN one with ``discriminator="stylegan"``."""
    if getattr(config, "discriminator", "orig") == "orig":
        return build_stylegan2_d(config, architecture="orig")
    discriminator = StyleGANDiscriminator(config.image_size, config.channels,
                                          config.base_filters, config.max_filters,
                                          config.mbstd_group_size,
                                          name="stylegan_discriminator")
    discriminator.build((None, config.image_size, config.image_size, config.channels))
    return discriminator


def set_reference_weights(discriminator, net) -> None:
    """Copy the official D_basic's variables (a ``TFNetwork``) into a built
    ``StyleGANDiscriminator``; the fromRGBs of lower levels of detail are unused."""
    from ganzoo_stylegan.importer import _Variables, assign

    if not isinstance(discriminator, StyleGANDiscriminator):
        raise TypeError("set_reference_weights needs a StyleGANDiscriminator")
    v = _Variables(net, "D")
    v.check_lod("lod")

    def conv(layer, scope):
        assign(layer.kernel, v(f"{scope}/weight"), f"{scope}/weight")
        assign(layer.bias, v(f"{scope}/bias"), f"{scope}/bias")

    conv(discriminator.from_rgb, "FromRGB_lod0")
    res = discriminator.image_size
    for conv0, conv1 in discriminator.blocks:
        conv(conv0, f"{res}x{res}/Conv0")
        conv(conv1, f"{res}x{res}/Conv1_down")
        res //= 2
    conv(discriminator.epilogue_conv, "4x4/Conv")
    fc = v("4x4/Dense0/weight")  # rows flattened C, H, W -> H, W, C
    width = discriminator.epilogue_conv.filters
    fc = fc.reshape(width, 4, 4, -1).transpose(1, 2, 0, 3).reshape(16 * width, -1)
    assign(discriminator.fc.kernel, np.ascontiguousarray(fc), "4x4/Dense0/weight")
    assign(discriminator.fc.bias, v("4x4/Dense0/bias"), "4x4/Dense0/bias")
    conv(discriminator.out, "4x4/Dense1")
    v.check_all_used(unused_prefixes=[f"FromRGB_lod{k}/" for k in range(1, 12)])

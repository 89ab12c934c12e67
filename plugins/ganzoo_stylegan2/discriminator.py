"""StyleGAN2's discriminator: residual (or plain) blocks and a minibatch-stddev epilogue."""

from __future__ import annotations

import math

import keras
from keras import ops

from ganzoo import conditioning
from ganzoo.layers import EqualizedDense, MinibatchStdDev
from ganzoo_stylegan2.generator import synthesis_widths
from ganzoo_stylegan2.layers import (
    DiscriminatorConv,
    MappingNetwork,
    block_policy,
    lrelu,
)

SQRT_HALF = math.sqrt(0.5)
CMAP = "cmap"  # d_conditioning: the reference's label mapping network into D (default)


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class StyleGAN2Discriminator(keras.Model):
    """image -> one logit (Karras et al. 2020, Figure 7c, as in stylegan2-ada-pytorch).

    fromRGB (1x1) at the input resolution; per resolution down to 8x8 a block
    of two 3x3 convs, the second down-sampling; with ``architecture="resnet"``
    a 1x1 down-sampling skip, both paths scaled by sqrt(0.5) and summed. At
    4x4: minibatch stddev (``mbstd_group_size``, one channel), a 3x3 conv, a
    dense layer and the output dense layer. Equalized LR everywhere. The blocks
    of the top ``num_fp16_res`` resolutions (and their fromRGB) compute in
    ``mixed_dtype``; ``conv_clamp`` clips the convs' outputs (not the skips').

    Conditional (``num_classes > 0``, as the reference's ``c_dim``): the input
    is ``[images, labels]``; a label mapping network (``MappingNetwork`` without
    a latent, ``cmap_layers`` deep, ``cmap_dim`` wide, widths[4] if None) maps
    the labels to ``cmap``, the output layer has ``cmap_dim`` units, and the
    logit is ``sum(out * cmap) / sqrt(cmap_dim)`` (projection): ``d_conditioning``
    ``"cmap"``, the default. Any registered conditioning (``ganzoo.conditioning``:
    ``acgan``, ``reacgan``...) instead puts its head, with equalized-LR dense
    layers, on the 4x4 epilogue's features (the output of ``b4_fc``), in place of
    the output layer and the label mapping network; D then returns its dict.
    """

    def __init__(self, image_size, channels=3, base_filters=32768, max_filters=512,
                 architecture="resnet", mbstd_group_size=4, num_fp16_res=0,
                 mixed_dtype="float16", conv_clamp=None, num_classes=0, cmap_dim=None,
                 cmap_layers=8, d_conditioning=CMAP, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.d_conditioning = d_conditioning
        self.cmap_dim = cmap_dim
        self.cmap_layers = cmap_layers
        self.num_fp16_res = num_fp16_res
        self.mixed_dtype = mixed_dtype
        self.conv_clamp = conv_clamp
        self.image_size = image_size
        self.channels = channels
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.architecture = architecture
        self.mbstd_group_size = mbstd_group_size
        widths = synthesis_widths(image_size, base_filters, max_filters)

        def policy(res):
            return block_policy(res, image_size, num_fp16_res, mixed_dtype)

        self.from_rgb = DiscriminatorConv(widths[image_size], 1, conv_clamp=conv_clamp,
                                          dtype=policy(image_size), name="fromrgb")
        self.blocks = []
        res = image_size
        while res > 4:
            resnet = architecture == "resnet"
            self.blocks.append((
                DiscriminatorConv(widths[res], 3, conv_clamp=conv_clamp, dtype=policy(res),
                                  name=f"b{res}_conv0"),
                DiscriminatorConv(widths[res // 2], 3, down=True,
                                  gain=SQRT_HALF if resnet else 1.0, conv_clamp=conv_clamp,
                                  dtype=policy(res), name=f"b{res}_conv1"),
                DiscriminatorConv(widths[res // 2], 1, down=True, use_bias=False,
                                  activation="linear", gain=SQRT_HALF, dtype=policy(res),
                                  name=f"b{res}_skip")
                if resnet else None,
            ))
            res //= 2
        self.mbstd = MinibatchStdDev(mbstd_group_size, name="b4_mbstd")
        self.epilogue_conv = DiscriminatorConv(widths[4], 3, conv_clamp=conv_clamp,
                                               name="b4_conv")
        self.fc = EqualizedDense(widths[4], gain=1.0, name="b4_fc")
        self.projection = cmap_dim or widths[4]
        self.head = None
        if num_classes and d_conditioning != CMAP:  # a registered conditioning's head
            self.head = conditioning.get(d_conditioning, extra=(CMAP,)).make_head(
                num_classes, spectral_norm=False, kernel_initializer="glorot_uniform",
                name="conditioning_head", equalized_lr=True)
            return
        self.out = EqualizedDense(self.projection if num_classes else 1, gain=1.0,
                                  name="b4_out")
        if num_classes:
            self.mapping = MappingNetwork(self.projection, None, cmap_layers, w_avg_beta=None,
                                          num_classes=num_classes, use_latent=False,
                                          name="mapping")

    def build(self, input_shape):
        if self.num_classes:
            input_shape, labels_shape = input_shape
            if self.head is None:
                self.mapping.build(labels_shape)
        batch = input_shape[0]
        shape = (batch, self.image_size, self.image_size, self.channels)
        self.from_rgb.build(shape)
        shape = self.from_rgb.compute_output_shape(shape)
        for conv0, conv1, skip in self.blocks:
            if skip is not None:
                skip.build(shape)
            conv0.build(shape)
            conv1.build(conv0.compute_output_shape(shape))
            shape = conv1.compute_output_shape(conv0.compute_output_shape(shape))
        self.mbstd.build(shape)
        shape = (*shape[:-1], shape[-1] + 1)
        self.epilogue_conv.build(shape)
        width = self.epilogue_conv.filters
        self.fc.build((batch, 16 * width))
        if self.head is not None:
            self.head.build([(batch, width), labels_shape])
        else:
            self.out.build((batch, width))
        self.built = True

    def call(self, images, training=False):
        labels = None
        if self.num_classes:
            images, labels = images
        x = self.from_rgb(ops.cast(images, "float32"))
        for conv0, conv1, skip in self.blocks:
            y = skip(x) if skip is not None else None
            x = conv1(conv0(x))
            if y is not None:
                x = x + y
        x = self.epilogue_conv(self.mbstd(ops.cast(x, "float32")))
        x = lrelu(self.fc(ops.reshape(x, (-1, 16 * x.shape[-1]))))
        if self.head is not None:
            return self.head([x, labels], training=training)
        x = self.out(x)
        if labels is None:
            return x
        cmap = self.mapping(labels)
        return ops.sum(x * cmap, axis=1, keepdims=True) * (1 / math.sqrt(self.projection))

    def compute_output_shape(self, input_shape):
        if self.num_classes:
            input_shape = input_shape[0]
        return (input_shape[0], 1)

    def get_config(self):
        return {**super().get_config(), "image_size": self.image_size,
                "channels": self.channels, "base_filters": self.base_filters,
                "max_filters": self.max_filters, "architecture": self.architecture,
                "mbstd_group_size": self.mbstd_group_size, "num_fp16_res": self.num_fp16_res,
                "mixed_dtype": self.mixed_dtype, "conv_clamp": self.conv_clamp,
                "num_classes": self.num_classes, "cmap_dim": self.cmap_dim,
                "cmap_layers": self.cmap_layers,
                # the default is left out: saved files of cmap D's stay as they were
                **({} if self.d_conditioning == CMAP
                   else {"d_conditioning": self.d_conditioning})}


def build_discriminator(config, architecture: str | None = None) -> StyleGAN2Discriminator:
    """The built discriminator of a config (``architecture`` overrides its
    ``d_architecture``: StyleGAN's is the plain "orig" one)."""
    discriminator = StyleGAN2Discriminator(
        config.image_size, config.channels, config.base_filters, config.max_filters,
        architecture or config.d_architecture, config.mbstd_group_size,
        getattr(config, "num_fp16_res", 0), getattr(config, "mixed_dtype", "float16"),
        getattr(config, "conv_clamp", None) or None,
        num_classes=getattr(config, "num_classes", 0),
        d_conditioning=getattr(config, "d_conditioning", CMAP), name="stylegan2_discriminator",
    )
    shape = (None, config.image_size, config.image_size, config.channels)
    discriminator.build([shape, (None,)] if discriminator.num_classes else shape)
    return discriminator

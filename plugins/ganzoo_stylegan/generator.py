"""StyleGAN's generator: mapping network + AdaIN synthesis network (Karras et al. 2019, Figure 1b)."""

from __future__ import annotations

import keras
from ganzoo_stylegan2.generator import StyleGAN2Generator, StyleSynthesisBase
from ganzoo_stylegan2.layers import add_noise
from keras import ops

from ganzoo.layers import AdaptiveInstanceNormalization, EqualizedConv2D, NoiseInjection


def blur(x):
    """The official code's [1, 2, 1] blur (normalised, "same" size, zero padding)."""
    channels = x.shape[-1]
    taps = ops.convert_to_tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16.0
    kernel = ops.tile(taps[:, :, None, None], (1, 1, channels, 1))
    return ops.depthwise_conv(x, ops.cast(kernel, x.dtype), strides=1, padding="same")


def upscale2d(x):
    """Nearest-neighbour 2x up-sampling."""
    return ops.repeat(ops.repeat(x, 2, axis=1), 2, axis=2)


@keras.saving.register_keras_serializable(package="ganzoo_stylegan")
class StyleLayer(keras.layers.Layer):
    """One layer's epilogue: noise (per-channel strength), bias, lrelu, AdaIN(w).

    With ``conv`` a 3x3 equalized conv comes first (after 2x nearest
    up-sampling and followed by the [1,2,1] blur when ``up``).
    """

    def __init__(self, filters, resolution, conv=True, up=False, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.resolution = resolution
        self.conv = conv
        self.up = up
        self.convolution = (EqualizedConv2D(filters, 3, padding="same", use_bias=False,
                                            name="conv") if conv else None)
        self.noise = NoiseInjection(seed=resolution, name="noise")  # see SynthesisLayer
        self.adain = AdaptiveInstanceNormalization(name="adain")

    def build(self, x_shape, w_shape):
        size = self.resolution
        if self.convolution is not None:
            self.convolution.build((x_shape[0], size, size, x_shape[-1]))
        shape = (x_shape[0], size, size, self.filters)
        self.noise.build(shape)
        self.adain.build([shape, w_shape])
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        self.noise_const = self.add_weight(
            shape=(1, size, size, 1), initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False, name="noise_const")

    def call(self, x, w, noise_mode="random", seed_generator=None):
        if self.convolution is not None:
            if self.up:
                x = upscale2d(x)
            x = self.convolution(x)
            if self.up:
                x = blur(x)
        x = add_noise(self, x, noise_mode, seed_generator)
        # The official code puts He's gain in the conv weights, none after lrelu.
        x = ops.leaky_relu(x + ops.cast(self.bias, x.dtype), negative_slope=0.2)
        return self.adain([x, w])

    def compute_output_shape(self, x_shape, w_shape):
        return (x_shape[0], self.resolution, self.resolution, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "resolution": self.resolution,
                "conv": self.conv, "up": self.up}


@keras.saving.register_keras_serializable(package="ganzoo_stylegan")
class StyleSynthesisNetwork(StyleSynthesisBase):
    """ws -> image: learned constant, two style layers per resolution, toRGB at the end."""

    def __init__(self, image_size, channels, base_filters, max_filters, **kwargs):
        super().__init__(image_size, channels, base_filters, max_filters, **kwargs)
        self.style_layers = []
        for res, width in self.widths.items():
            self.style_layers.append(StyleLayer(width, res, conv=res > 4, up=res > 4,
                                                name=f"b{res}_layer0"))
            self.style_layers.append(StyleLayer(width, res, name=f"b{res}_layer1"))
        self.to_rgb = EqualizedConv2D(channels, 1, gain=1.0, name="torgb")

    @property
    def num_ws(self) -> int:
        return len(self.style_layers)

    @property
    def noise_layers(self) -> list:
        return list(self.style_layers)

    def build(self, ws_shape):
        batch, _, w_dim = ws_shape
        self.const = self.add_weight(shape=(1, 4, 4, self.widths[4]), initializer="ones",
                                     name="const")
        width = self.widths[4]
        for layer in self.style_layers:
            size = layer.resolution // 2 if layer.up else layer.resolution
            layer.build((batch, size, size, width), (batch, w_dim))
            width = layer.filters
        self.to_rgb.build((batch, self.image_size, self.image_size, width))

    def call(self, ws, noise_mode="random", seed_generator=None):
        ws, x = self.start(ws, noise_mode)
        for index, layer in enumerate(self.style_layers):
            x = layer(x, ws[:, index], noise_mode=noise_mode, seed_generator=seed_generator)
        return self.to_rgb(x)


@keras.saving.register_keras_serializable(package="ganzoo_stylegan")
class StyleGANGenerator(StyleGAN2Generator):
    """z -> image: ``mapping`` (8 layers) then the AdaIN ``synthesis`` network.

    StyleGAN2's generator with StyleGAN's synthesis network: the same
    interface (``mapping``, ``synthesize``, ``num_ws``), so StyleGAN2's GAN
    class adds style mixing, truncation in W and the EMA.

    ``truncation_cutoff``: truncation in W moves the first this-many w's (the
    official code's default is 8: the coarse and middle styles), unless a
    call gives its own; None moves them all.
    """

    synthesis_class = StyleSynthesisNetwork

    def __init__(self, *args, truncation_cutoff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.truncation_cutoff = truncation_cutoff
        self.mapping.truncation_cutoff = truncation_cutoff

    def get_config(self):
        return {**super().get_config(), "truncation_cutoff": self.truncation_cutoff}


def build_generator(config) -> StyleGANGenerator:
    """The built generator of a ``StyleGANConfig``."""
    generator = StyleGANGenerator(
        config.latent_dim, config.image_size, config.channels, config.w_dim,
        config.mapping_layers, config.base_filters, config.max_filters,
        config.mapping_lr_multiplier, config.w_avg_beta,
        truncation_cutoff=getattr(config, "truncation_cutoff", 0) or None,
        name="stylegan_generator",
    )
    generator.build((None, config.latent_dim))
    return generator

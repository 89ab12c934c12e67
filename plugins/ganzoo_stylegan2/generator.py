"""StyleGAN2's generator: mapping network + skip-architecture synthesis network."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers import ModulatedConv2D
from ganzoo_stylegan2.layers import (
    NOISE_MODES,
    MappingNetwork,
    SynthesisLayer,
    block_policy,
    clamp,
    upsample2d,
)


def synthesis_widths(image_size: int, base_filters: int, max_filters: int) -> dict[int, int]:
    """Feature maps per resolution, 4 .. image_size: ``min(base // res, max)``."""
    widths, res = {}, 4
    while res <= image_size:
        widths[res] = max(1, min(base_filters // res, max_filters))
        res *= 2
    return widths


class StyleSynthesisBase(keras.layers.Layer):
    """What every style-based synthesis network shares: its size arguments, the
    per-resolution ``widths``, the learned constant broadcast to the batch
    (``start``), its output shape and config. Subclasses create the ``const``
    weight and their layers, and define ``num_ws``, ``noise_layers`` (the
    layers that add noise, each with a ``noise_const`` map) and ``call``.
    """

    def __init__(self, image_size, channels, base_filters, max_filters, **kwargs):
        super().__init__(**kwargs)
        self.image_size = image_size
        self.channels = channels
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.widths = synthesis_widths(image_size, base_filters, max_filters)

    def start(self, ws, noise_mode):
        """(ws as float32, the constant repeated over the batch), after checking
        ``noise_mode``."""
        if noise_mode not in NOISE_MODES:
            raise ValueError(f"noise_mode={noise_mode!r}: use one of {NOISE_MODES}")
        ws = ops.cast(ws, "float32")
        return ws, ops.repeat(ops.cast(self.const, ws.dtype), ops.shape(ws)[0], axis=0)

    def compute_output_shape(self, ws_shape):
        return (ws_shape[0], self.image_size, self.image_size, self.channels)

    def get_config(self):
        return {**super().get_config(), "image_size": self.image_size,
                "channels": self.channels, "base_filters": self.base_filters,
                "max_filters": self.max_filters}


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class SynthesisNetwork(StyleSynthesisBase):
    """ws (B, num_ws, w_dim) -> image: learned 4x4 constant, two modulated convs per
    resolution (the first up-samples), a toRGB at every resolution whose outputs are
    up-sampled and summed (the "skip" generator of Karras et al. 2020, Figure 7).

    The blocks of the top ``num_fp16_res`` resolutions compute in
    ``mixed_dtype`` (see ``ganzoo_stylegan2.layers.block_policy``); ``conv_clamp`` clips
    every conv and toRGB output to +-conv_clamp. The summed image stays float32.
    """

    def __init__(self, image_size, channels, base_filters, max_filters, num_fp16_res=0,
                 mixed_dtype="float16", conv_clamp=None, noise_per_channel=True, **kwargs):
        super().__init__(image_size, channels, base_filters, max_filters, **kwargs)
        self.noise_per_channel = noise_per_channel
        self.num_fp16_res = num_fp16_res
        self.mixed_dtype = mixed_dtype
        self.conv_clamp = conv_clamp
        self.convs, self.to_rgb = [], []
        for res, width in self.widths.items():
            dtype = block_policy(res, image_size, num_fp16_res, mixed_dtype)
            if res > 4:
                self.convs.append(SynthesisLayer(width, res, up=True, conv_clamp=conv_clamp,
                                                 noise_per_channel=noise_per_channel,
                                                 dtype=dtype, name=f"b{res}_conv0"))
            self.convs.append(SynthesisLayer(width, res, conv_clamp=conv_clamp, dtype=dtype,
                                             noise_per_channel=noise_per_channel,
                                             name=f"b{res}_conv1"))
            self.to_rgb.append(
                ModulatedConv2D(channels, 1, demodulate=False, dtype=dtype, name=f"b{res}_torgb")
            )

    @property
    def num_ws(self) -> int:
        return len(self.convs) + 1

    @property
    def noise_layers(self) -> list:
        return list(self.convs)

    def build(self, ws_shape):
        batch, _, w_dim = ws_shape
        self.const = self.add_weight(
            shape=(1, 4, 4, self.widths[4]),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            name="const",
        )
        w_shape = (batch, w_dim)
        in_width = self.widths[4]
        convs = iter(self.convs)
        for (res, width), to_rgb in zip(self.widths.items(), self.to_rgb, strict=True):
            for _ in range(1 if res == 4 else 2):
                conv = next(convs)
                size = res // 2 if conv.up else res
                conv.build((batch, size, size, in_width), w_shape)
                in_width = width
            to_rgb.build([(batch, res, res, width), w_shape])

    def call(self, ws, noise_mode="random", seed_generator=None):
        ws, x = self.start(ws, noise_mode)
        image, index, convs = None, 0, iter(self.convs)
        for res, to_rgb in zip(self.widths, self.to_rgb, strict=True):
            # A block uses ws[index...]; its toRGB shares its w with the next block's first conv.
            for _ in range(1 if res == 4 else 2):
                x = next(convs)(x, ws[:, index], noise_mode=noise_mode,
                                seed_generator=seed_generator)
                index += 1
            rgb = ops.cast(clamp(to_rgb([x, ws[:, index]]), self.conv_clamp), "float32")
            image = rgb if image is None else upsample2d(image) + rgb
        return image

    def get_config(self):
        return {**super().get_config(), "num_fp16_res": self.num_fp16_res,
                "mixed_dtype": self.mixed_dtype, "conv_clamp": self.conv_clamp,
                "noise_per_channel": self.noise_per_channel}


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class StyleGAN2Generator(keras.Model):
    """z -> image: ``mapping`` (z -> ws) then ``synthesis`` (ws -> image).

    ``call(z, training, truncation_psi=None, truncation_cutoff=None,
    noise_mode=None)``: noise is random in training and the fixed ``const``
    maps otherwise (the reference's sampling default). The output is linear,
    as in the reference; outside training it is clipped to [-1, 1], as the
    reference clips when it writes images. Style mixing lives in the GAN
    (``StyleGAN2.generator_forward``), which draws from the model's stream.
    Subclasses swap the synthesis network through ``synthesis_class``.
    ``num_fp16_res``, ``mixed_dtype`` and ``conv_clamp`` go to the synthesis
    network (per-layer mixed precision; only when ``num_fp16_res`` or
    ``conv_clamp`` is set, so a synthesis class without them still works).
    With ``num_classes > 0`` the generator is conditional as the reference's
    (``c_dim``): it takes ``[z, labels]`` and the mapping network embeds the
    labels (see ``MappingNetwork``).
    """

    synthesis_class = SynthesisNetwork

    def __init__(self, latent_dim, image_size, channels=3, w_dim=512, mapping_layers=8,
                 base_filters=32768, max_filters=512, mapping_lr_multiplier=0.01,
                 w_avg_beta=0.995, num_fp16_res=0, mixed_dtype="float16", conv_clamp=None,
                 num_classes=0, embed_features=None, noise_per_channel=True, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.image_size = image_size
        self.channels = channels
        self.w_dim = w_dim
        self.mapping_layers = mapping_layers
        self.base_filters = base_filters
        self.max_filters = max_filters
        self.mapping_lr_multiplier = mapping_lr_multiplier
        self.w_avg_beta = w_avg_beta
        self.num_fp16_res = num_fp16_res
        self.mixed_dtype = mixed_dtype
        self.conv_clamp = conv_clamp
        self.num_classes = num_classes
        self.embed_features = embed_features
        self.noise_per_channel = noise_per_channel
        mixed = {}
        if num_fp16_res or conv_clamp is not None:
            mixed = {"num_fp16_res": num_fp16_res, "mixed_dtype": mixed_dtype,
                     "conv_clamp": conv_clamp}
        if not noise_per_channel:  # only then, so a synthesis class without it still works
            mixed["noise_per_channel"] = False
        self.synthesis = self.synthesis_class(image_size, channels, base_filters,
                                              max_filters, name="synthesis", **mixed)
        self.mapping = MappingNetwork(w_dim, self.synthesis.num_ws, mapping_layers,
                                      mapping_lr_multiplier, w_avg_beta,
                                      num_classes=num_classes,
                                      embed_features=embed_features, name="mapping")

    @property
    def num_ws(self) -> int:
        return self.synthesis.num_ws

    def build(self, z_shape):
        self.mapping.build(z_shape)
        batch = z_shape[0][0] if self.num_classes else z_shape[0]
        self.synthesis.build((batch, self.num_ws, self.w_dim))
        self.built = True

    def synthesize(self, ws, training=False, noise_mode=None, seed_generator=None):
        """ws -> images (noise random in training, const otherwise, unless given;
        random noise from ``seed_generator`` (or ``NoiseMaps`` drawn before) if
        given, else the layers' own)."""
        if noise_mode is None:
            noise_mode = "random" if training else "const"
        images = self.synthesis(ws, noise_mode=noise_mode, seed_generator=seed_generator)
        return images if training else ops.clip(images, -1.0, 1.0)

    def call(self, z, training=False, truncation_psi=None, truncation_cutoff=None,
             noise_mode=None):
        ws = self.mapping(z, training=training)
        ws = self.mapping.truncate(ws, truncation_psi, truncation_cutoff)
        return self.synthesize(ws, training, noise_mode)

    def compute_output_shape(self, z_shape):
        batch = z_shape[0][0] if self.num_classes else z_shape[0]
        return (batch, self.image_size, self.image_size, self.channels)

    def get_config(self):
        return {**super().get_config(), "latent_dim": self.latent_dim,
                "image_size": self.image_size, "channels": self.channels,
                "w_dim": self.w_dim, "mapping_layers": self.mapping_layers,
                "base_filters": self.base_filters, "max_filters": self.max_filters,
                "mapping_lr_multiplier": self.mapping_lr_multiplier,
                "w_avg_beta": self.w_avg_beta, "num_fp16_res": self.num_fp16_res,
                "mixed_dtype": self.mixed_dtype, "conv_clamp": self.conv_clamp,
                "num_classes": self.num_classes, "embed_features": self.embed_features,
                "noise_per_channel": self.noise_per_channel}


def build_generator(config) -> StyleGAN2Generator:
    """The built generator of a ``StyleGAN2Config``."""
    generator = StyleGAN2Generator(
        config.latent_dim, config.image_size, config.channels, config.w_dim,
        config.mapping_layers, config.base_filters, config.max_filters,
        config.mapping_lr_multiplier, config.w_avg_beta, config.num_fp16_res,
        config.mixed_dtype, config.conv_clamp or None,
        num_classes=getattr(config, "num_classes", 0),
        noise_per_channel=getattr(config, "noise_per_channel", False), name="stylegan2_generator",
    )
    z_shape = (None, config.latent_dim)
    generator.build([z_shape, (None,)] if generator.num_classes else z_shape)
    return generator

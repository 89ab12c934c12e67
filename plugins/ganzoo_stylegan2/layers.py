"""StyleGAN2's building blocks in keras.ops: FIR resampling, mapping, synthesis layers.

Resampling uses the reference's [1, 3, 3, 1] low-pass filter with its
padding (``upfirdn2d``): 2x up-sampling inserts zeros and filters with gain 4;
2x down-sampling filters and keeps every other pixel. The up-sampling 3x3
convolution is the reference's transposed convolution then filter
(``modulated_up_conv``), so the reference's weights give its images to the
border (its kernel is the flip of ganzoo's: the importer flips it). Activations are leaky
ReLU (slope 0.2) times sqrt(2), after the bias, as the reference's
``bias_act``; equalized learning rate uses gain 1 in the layer and puts the
sqrt(2) after the activation, so biases are not scaled by it.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from ganzoo.layers import (
    EqualizedConv2D,
    EqualizedDense,
    ModulatedConv2D,
    NoiseInjection,
    PixelNormalization,
)

SQRT_2 = math.sqrt(2.0)
_FIR = np.array([1.0, 3.0, 3.0, 1.0], dtype="float32")
NOISE_MODES = ("random", "const", "none")


# -- per-layer mixed precision (the reference's num_fp16_res and conv_clamp) ----------
# stylegan2-ada-pytorch runs the blocks of the top num_fp16_res resolutions
# (never 4x4) in float16 and clamps every conv's output to +-conv_clamp (256),
# so the high resolutions, where most of the time goes, run at half precision
# without overflowing. Here such a block's layers carry the Keras dtype policy
# mixed_float16 (or mixed_bfloat16): float32 variables, half-precision compute.
def lowest_mixed_resolution(image_size: int, num_fp16_res: int) -> int:
    """The lowest resolution that runs in the mixed dtype; above ``image_size`` if none.

    The reference's rule: ``max(2 ** (log2(image_size) + 1 - num_fp16_res), 8)``.
    """
    if num_fp16_res <= 0:
        return 2 * image_size
    return max(2 ** (image_size.bit_length() - num_fp16_res), 8)


def block_policy(resolution: int, image_size: int, num_fp16_res: int, mixed_dtype: str):
    """The dtype policy name of the block at ``resolution``: ``mixed_<dtype>`` for
    the top ``num_fp16_res`` resolutions, else None (the default policy)."""
    if resolution >= lowest_mixed_resolution(image_size, num_fp16_res):
        return f"mixed_{mixed_dtype}"
    return None


def clamp(x, limit):
    """x clipped to [-limit, limit]; x itself when ``limit`` is None (no clamping)."""
    return x if limit is None else ops.clip(x, -limit, limit)


def lrelu(x, gain: float = 1.0):
    """Leaky ReLU (0.2) with the reference's gain sqrt(2) (times ``gain``)."""
    return ops.leaky_relu(x, negative_slope=0.2) * (SQRT_2 * gain)


def fir_filter(x, pad0: int, pad1: int, gain: float = 1.0):
    """Zero-pad H and W by (pad0, pad1) and apply the separable [1,3,3,1] filter.

    The filter is normalised to sum 1, times ``gain``; output size is
    ``size + pad0 + pad1 - 3``.
    """
    channels = x.shape[-1]
    taps = np.outer(_FIR, _FIR)
    taps = taps / taps.sum() * gain
    kernel = np.tile(taps[:, :, None, None], (1, 1, channels, 1)).astype("float32")
    x = ops.pad(x, ((0, 0), (pad0, pad1), (pad0, pad1), (0, 0)))
    return ops.depthwise_conv(x, ops.cast(kernel, x.dtype), strides=1, padding="valid")


def upsample2d(x):
    """2x up-sampling: zeros between pixels, then the filter with gain 4 (upfirdn2d up=2)."""
    _, height, width, channels = x.shape
    zeros = ops.zeros_like(x)
    x = ops.reshape(ops.stack([x, zeros], axis=2), (-1, 2 * height, width, channels))
    zeros = ops.zeros_like(x)
    x = ops.reshape(ops.stack([x, zeros], axis=3), (-1, 2 * height, 2 * width, channels))
    return fir_filter(x, 2, 1, gain=4.0)


def modulated_up_conv(conv, x, w):
    """The reference's up-sampling modulated conv (``conv2d_resample`` with up=2):
    a stride-2 transposed 3x3 convolution (output 2H+1), then the [1,3,3,1]
    filter with gain 4 and padding 1 (output 2H); ``conv``'s bias after.

    The transposed convolution is computed as zeros inserted between the
    pixels (2H-1), padded by 1 and convolved by ``conv`` (a ModulatedConv2D,
    "same" padding), i.e. correlation with ganzoo's kernel = the reference's
    convolution with the flipped kernel.
    """
    _, height, width, channels = x.shape
    styles = conv.affine(w)
    x = x * styles[:, None, None, :]
    zeros = ops.zeros_like(x)
    x = ops.reshape(ops.stack([zeros, x], axis=2), (-1, 2 * height, width, channels))
    zeros = ops.zeros_like(x)
    x = ops.reshape(ops.stack([zeros, x], axis=3), (-1, 2 * height, 2 * width, channels))
    x = ops.pad(x, ((0, 0), (0, 1), (0, 1), (0, 0)))  # 0 x0 0 x1 ... x_{H-1} 0: 2H+1
    x = conv.conv(x)
    if conv.demodulate:
        kernel = ops.cast(conv.conv.effective_kernel(), "float32")
        energy = ops.matmul(ops.square(ops.cast(styles, "float32")),
                            ops.sum(ops.square(kernel), axis=(0, 1)))
        x = x * ops.cast(ops.rsqrt(energy + conv.epsilon), x.dtype)[:, None, None, :]
    x = fir_filter(x, 1, 1, gain=4.0)
    if conv.use_bias:
        x = x + ops.cast(conv.bias, x.dtype)
    return x


def downsample2d(x):
    """2x down-sampling: the filter with padding 1, then every other pixel (upfirdn2d down=2)."""
    return fir_filter(x, 1, 1)[:, ::2, ::2, :]


def condition_vector(labels, num_classes):
    """The reference's ``c``: one-hot of integer labels (B,), or given vectors (B, C)."""
    if len(labels.shape) == 2:
        return ops.cast(labels, "float32")
    return ops.one_hot(ops.cast(labels, "int32"), num_classes, dtype="float32")


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class MappingNetwork(keras.layers.Layer):
    """z -> w: pixel norm, ``num_layers`` equalized dense layers (lr x0.01), broadcast.

    Tracks ``w_avg``, the running mean of w (decay ``w_avg_beta``), on every
    training call unless ``update_w_avg=False`` (the second latent of style
    mixing does not update it, as in the reference). Output ``(B, num_ws, w_dim)``.

    Conditional (``num_classes > 0``, the reference's ``c_dim``): the input is
    ``[z, labels]``; the labels (integers, or (B, num_classes) vectors) go
    through a linear equalized ``embed`` layer (``embed_features`` wide, w_dim
    if None) and pixel norm, concatenated after the normalised z. With
    ``use_latent=False`` the input is the labels alone (the discriminator's
    label mapping); ``num_ws=None`` returns (B, w_dim) unbroadcast, and
    ``w_avg_beta=None`` tracks no mean (both as the reference).
    ``truncation_cutoff``: how many w's ``truncate`` moves when not told (all if None).
    """

    def __init__(self, w_dim, num_ws, num_layers=8, lr_multiplier=0.01,
                 w_avg_beta=0.995, num_classes=0, embed_features=None, use_latent=True,
                 truncation_cutoff=None, **kwargs):
        super().__init__(**kwargs)
        self.truncation_cutoff = truncation_cutoff
        self.w_dim = w_dim
        self.num_ws = num_ws
        self.num_layers = num_layers
        self.lr_multiplier = lr_multiplier
        self.w_avg_beta = w_avg_beta
        self.num_classes = num_classes
        self.embed_features = embed_features
        self.use_latent = use_latent
        self.normalize = PixelNormalization(name="normalize")
        if num_classes:
            self.embed = EqualizedDense(embed_features or w_dim, gain=1.0, name="embed")
        self.dense = [
            EqualizedDense(w_dim, gain=1.0, lr_multiplier=lr_multiplier, name=f"fc{i}")
            for i in range(num_layers)
        ]

    def _split(self, inputs):
        """(z or None, labels or None) of the call's input."""
        if not self.num_classes:
            return inputs, None
        if not self.use_latent:
            return None, inputs
        return inputs[0], inputs[1]

    def build(self, input_shape):
        z_shape, c_shape = self._split(input_shape)
        width = 0
        if z_shape is not None:
            self.normalize.build(z_shape)
            width += z_shape[-1]
        if c_shape is not None:
            self.embed.build((c_shape[0], self.num_classes))
            width += self.embed.units
            if not self.normalize.built:  # D's label mapping: no z, the embedding alone
                self.normalize.build((c_shape[0], self.embed.units))
        batch = (z_shape if z_shape is not None else c_shape)[0]
        shape = (batch, width)
        for layer in self.dense:
            layer.build(shape)
            shape = (batch, self.w_dim)
        if self.w_avg_beta is not None:
            self.w_avg = self.add_weight(
                shape=(self.w_dim,), initializer="zeros", trainable=False, name="w_avg"
            )

    def call(self, inputs, training=False, update_w_avg=True):
        z, labels = self._split(inputs)
        parts = []
        if z is not None:
            parts.append(self.normalize(ops.cast(z, "float32")))
        if labels is not None:
            c = condition_vector(labels, self.num_classes)
            parts.append(self.normalize(self.embed(c)))
        x = parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=-1)
        for layer in self.dense:
            x = lrelu(layer(x))
        if training and update_w_avg and self.w_avg_beta is not None:
            batch_mean = ops.mean(ops.stop_gradient(x), axis=0)
            self.w_avg.assign(batch_mean + self.w_avg_beta * (self.w_avg - batch_mean))
        if self.num_ws is None:
            return x
        return ops.repeat(x[:, None, :], self.num_ws, axis=1)

    def truncate(self, ws, psi, cutoff=None):
        """Move the first ``cutoff`` (the layer's ``truncation_cutoff`` if None; all if
        that is None too) w's toward ``w_avg``: w_avg + psi (w - w_avg).

        ``psi`` None or 1 returns ``ws`` itself (as the reference does), so
        psi 1 gives the untruncated images bit for bit.
        """
        if psi is None or psi == 1:
            return ws
        w_avg = ops.cast(self.w_avg, ws.dtype)
        truncated = w_avg + psi * (ws - w_avg)
        cutoff = self.truncation_cutoff if cutoff is None else cutoff
        if cutoff is None:
            return truncated
        layer = ops.arange(self.num_ws)[None, :, None]
        return ops.where(layer < cutoff, truncated, ws)

    def compute_output_shape(self, input_shape):
        z_shape, c_shape = self._split(input_shape)
        batch = (z_shape if z_shape is not None else c_shape)[0]
        return (batch, self.w_dim) if self.num_ws is None else (batch, self.num_ws, self.w_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "w_dim": self.w_dim,
            "num_ws": self.num_ws,
            "num_layers": self.num_layers,
            "lr_multiplier": self.lr_multiplier,
            "w_avg_beta": self.w_avg_beta,
            "num_classes": self.num_classes,
            "embed_features": self.embed_features,
            "use_latent": self.use_latent,
            "truncation_cutoff": self.truncation_cutoff,
        }


class NoiseMaps:
    """The random noise inputs of one synthesis pass, drawn in advance: one N(0, 1)
    map (batch, size, size, 1) per layer of ``synthesis.noise_layers``, from
    ``seed_generator``. ``add_noise`` takes them in place of a seed generator.

    A pass whose state updates are discarded (inside an input gradient: the
    path-length regularizer's) must not draw: its draws would not advance the
    stream, and later draws would reuse their keys. Drawn before it, they do.
    """

    def __init__(self, synthesis, batch, seed_generator):
        self.maps = {
            id(layer): keras.random.normal((batch, *layer.noise_const.shape[1:3], 1),
                                           seed=seed_generator)
            for layer in synthesis.noise_layers
        }

    def map_for(self, layer):
        return self.maps[id(layer)]


def add_noise(layer, x, noise_mode, seed_generator=None):
    """x + per-pixel noise through ``layer.noise`` (a NoiseInjection) in ``noise_mode``;
    random noise from ``seed_generator`` (or ``NoiseMaps``) if given, else the layer's own."""
    if noise_mode == "none":
        return x
    if noise_mode == "const":
        noise = layer.noise_const
    elif isinstance(seed_generator, NoiseMaps):
        noise = seed_generator.map_for(layer)
    else:
        noise = keras.random.normal((ops.shape(x)[0], *x.shape[1:3], 1),
                                    seed=seed_generator or layer.noise.seed_generator)
    return layer.noise(x, noise=ops.broadcast_to(noise, ops.shape(x)[:3] + (1,)))


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class SynthesisLayer(keras.layers.Layer):
    """Modulated 3x3 conv with demodulation [2x up, as ``modulated_up_conv``], noise, bias, lrelu.

    ``noise_mode``: ``random`` (fresh N(0, 1) per call, from ``seed_generator``
    if given, so a GAN can draw it from its saved stream), ``const`` (a fixed
    map drawn at build, as the reference's ``noise_const``) or ``none``.
    The noise strength, initialised to 0, is one scalar per layer as in the
    reference, or one per channel with ``noise_per_channel=True`` (ganzoo's
    earlier StyleGAN2, and the class default so that its saved models load). With
    ``conv_clamp`` the output is clipped to +-conv_clamp (see ``block_policy``); the
    layer's dtype policy (``dtype=``) is its sub-layers' too.
    """

    def __init__(self, filters, resolution, up=False, conv_clamp=None, noise_per_channel=True,
                 **kwargs):
        super().__init__(**kwargs)
        self.noise_per_channel = noise_per_channel
        self.filters = filters
        self.resolution = resolution
        self.up = up
        self.conv_clamp = conv_clamp
        self.conv = ModulatedConv2D(filters, 3, demodulate=True, dtype=self.dtype_policy,
                                    name="conv")
        # A fixed seed: Keras does not save seed states, and a reloaded layer
        # must equal the original (the GAN passes its own stream in training).
        self.noise = NoiseInjection(seed=resolution, dtype=self.dtype_policy, name="noise")

    def build(self, x_shape, w_shape):
        size = self.resolution
        conv_size = size + 1 if self.up else size  # the transposed conv's 2H+1
        self.conv.build([(x_shape[0], conv_size, conv_size, x_shape[-1]), w_shape])
        # A scale of shape (1,) broadcasts one strength over the channels.
        self.noise.build((x_shape[0], size, size, self.filters if self.noise_per_channel else 1))
        self.noise_const = self.add_weight(
            shape=(1, size, size, 1),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            name="noise_const",
        )

    def call(self, x, w, noise_mode="random", seed_generator=None):
        x = modulated_up_conv(self.conv, x, w) if self.up else self.conv([x, w])
        x = add_noise(self, x, noise_mode, seed_generator)
        return clamp(lrelu(x), self.conv_clamp)

    def compute_output_shape(self, x_shape, w_shape):
        return (x_shape[0], self.resolution, self.resolution, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "resolution": self.resolution, "up": self.up, "conv_clamp": self.conv_clamp,
                "noise_per_channel": self.noise_per_channel}


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class DiscriminatorConv(keras.layers.Layer):
    """Equalized-LR conv of the discriminator, optionally 2x down (the reference's Conv2dLayer).

    Down-sampling convolutions filter with [1,3,3,1] first: a 3x3 conv pads by
    2, filters and convolves with stride 2; a 1x1 conv down-samples, then
    convolves. ``activation`` is ``lrelu`` or ``linear``; ``gain`` scales the
    output (sqrt(0.5) in residual blocks); ``conv_clamp`` clips it to
    +-conv_clamp * gain, as the reference's ``bias_act``.
    """

    def __init__(self, filters, kernel_size, down=False, use_bias=True,
                 activation="lrelu", gain=1.0, conv_clamp=None, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.down = down
        self.use_bias = use_bias
        self.activation = activation
        self.gain = gain
        self.conv_clamp = conv_clamp
        strided = down and kernel_size > 1
        self.conv = EqualizedConv2D(
            filters, kernel_size, strides=2 if strided else 1,
            padding="valid" if strided else "same", use_bias=use_bias, gain=1.0,
            dtype=self.dtype_policy, name="conv",
        )

    def build(self, input_shape):
        batch, height, width, channels = input_shape
        if self.down and self.kernel_size > 1:
            shape = (batch, height + 1, width + 1, channels)
        elif self.down:
            shape = (batch, height // 2, width // 2, channels)
        else:
            shape = input_shape
        self.conv.build(shape)

    def call(self, x):
        if self.down and self.kernel_size > 1:
            x = fir_filter(x, 2, 2)  # conv2d_resample's padding for a 3x3 kernel
        elif self.down:
            x = downsample2d(x)
        x = self.conv(x)
        if self.activation == "lrelu":
            x = lrelu(x, self.gain)
        elif self.gain != 1.0:
            x = x * self.gain
        return clamp(x, None if self.conv_clamp is None else self.conv_clamp * self.gain)

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        if self.down:
            height, width = height // 2, width // 2
        return (batch, height, width, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "down": self.down,
                "use_bias": self.use_bias, "activation": self.activation,
                "gain": self.gain, "conv_clamp": self.conv_clamp}

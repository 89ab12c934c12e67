"""Modulated convolution (Karras et al. 2020, StyleGAN2)."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers.equalized import EqualizedConv2D, EqualizedDense


@keras.saving.register_keras_serializable(package="ganzoo")
class ModulatedConv2D(keras.layers.Layer):
    """Style-modulated 2D convolution (Karras et al. 2020, StyleGAN2 §2.2).

    Inputs `[x (B, H, W, C_in), w (B, D)]`. An equalized-LR affine maps `w` to
    per-input-channel styles `s` (bias initialised to 1); the convolution
    weight, equalized LR with gain 1, is modulated `w'[.., i, o] = s_i *
    w[.., i, o]` and, with `demodulate`, divided by
    `sqrt(sum_{kh, kw, i} w'^2 + epsilon)` per sample and output channel.
    Computed in the fused-free form (StyleGAN2's `fused_modconv=False`):
    scale the input by `s`, convolve with the shared weight, scale the output
    by the demodulation coefficients, which is the same linear map as the
    per-sample grouped convolution. Stride 1, "same" padding, channels last.
    Then optional bias and activation (StyleGAN2 adds noise between the
    two; noise added after the bias gives the same sum).

    Args:
        filters: int, output channels.
        kernel_size: int, square kernel size.
        demodulate: bool, apply weight demodulation. Default True.
        use_bias: bool. Default True (bias initialised to 0).
        activation: activation applied last. Default None.
        epsilon: float, demodulation epsilon. Default 1e-8.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        demodulate=True,
        use_bias=True,
        activation=None,
        epsilon=1e-8,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.demodulate = demodulate
        self.use_bias = use_bias
        self.activation = keras.activations.get(activation)
        self.epsilon = epsilon

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        self.affine = EqualizedDense(
            x_shape[-1],
            gain=1.0,
            bias_initializer="ones",
            dtype=self.dtype_policy,
            name="affine",
        )
        self.affine.build(w_shape)
        self.conv = EqualizedConv2D(
            self.filters,
            self.kernel_size,
            padding="same",
            use_bias=False,
            gain=1.0,
            dtype=self.dtype_policy,
            name="conv",
        )
        self.conv.build(x_shape)
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.filters,), initializer="zeros"
            )

    def call(self, inputs):
        x, w = inputs
        styles = self.affine(w)
        x = self.conv(x * styles[:, None, None, :])
        if self.demodulate:
            kernel = ops.cast(self.conv.effective_kernel(), "float32")
            # sum_{kh, kw, i} (s_i w[kh, kw, i, o])^2 = (s^2) @ sum_{kh, kw} w^2
            weight_energy = ops.sum(ops.square(kernel), axis=(0, 1))
            styles = ops.cast(styles, "float32")
            energy = ops.matmul(ops.square(styles), weight_energy)
            coefficients = ops.rsqrt(energy + self.epsilon)
            x = x * ops.cast(coefficients, x.dtype)[:, None, None, :]
        if self.use_bias:
            x = x + ops.cast(self.bias, x.dtype)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], self.filters)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "demodulate": self.demodulate,
                "use_bias": self.use_bias,
                "activation": keras.activations.serialize(self.activation),
                "epsilon": self.epsilon,
            }
        )
        return config

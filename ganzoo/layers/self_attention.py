"""Self-attention block (Zhang et al. 2019, SAGAN)."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers._utils import clone_initializer
from ganzoo.layers.spectral_norm import SNConv2D


@keras.saving.register_keras_serializable(package="ganzoo")
class SelfAttention(keras.layers.Layer):
    """Self-attention over all spatial positions (Zhang et al. 2019, SAGAN).

    1x1 convolutions give queries and keys (`key_channels`) and values
    (`value_channels`); `softmax(q k^T)` over every position weighs the
    values; an output 1x1 convolution maps back to the input channels, and
    `output = gamma * attention + inputs` with a learnable scalar `gamma`
    initialised to 0, so the block starts as the identity. Channels last.

    Args:
        key_channels: int, query/key channels. Default `channels // 8`.
        value_channels: int, value channels. Default `channels // 2`, as in
            the official SAGAN and BigGAN code.
        spectral_norm: bool, use `SNConv2D` for the four convolutions (SAGAN
            and BigGAN do, in G and D). Default False.
        pool_key_value: bool, 2x2 max-pool keys and values (4x fewer
            positions attended to, as in BigGAN). Needs even height and width.
            Default False.
        pool_after_conv: bool, with `pool_key_value`, pool the key and value
            convolutions' outputs, as the official SAGAN and BigGAN code do,
            rather than the input (the max does not commute with the 1x1
            convolution). Default False, which keeps older models' outputs.
        sigma_estimate: the convolutions' `SpectralNorm` sigma estimate,
            "stored" (default) or "iterate".
        kernel_initializer: initializer of the convolutions.
    """

    def __init__(
        self,
        key_channels=None,
        value_channels=None,
        spectral_norm=False,
        pool_key_value=False,
        kernel_initializer="glorot_uniform",
        pool_after_conv=False,
        sigma_estimate="stored",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.pool_after_conv = pool_after_conv
        self.sigma_estimate = sigma_estimate
        self.key_channels = key_channels
        self.value_channels = value_channels
        self.spectral_norm = spectral_norm
        self.pool_key_value = pool_key_value
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def _conv(self, filters, name):
        sn = {"sigma_estimate": self.sigma_estimate} if self.spectral_norm else {}
        conv_cls = SNConv2D if self.spectral_norm else keras.layers.Conv2D
        return conv_cls(
            filters,
            1,
            use_bias=False,
            **sn,
            kernel_initializer=clone_initializer(self.kernel_initializer),
            dtype=self.dtype_policy,
            name=name,
        )

    def build(self, input_shape):
        channels = input_shape[-1]
        key_channels = self.key_channels or max(channels // 8, 1)
        value_channels = self.value_channels or max(channels // 2, 1)
        self.query_conv = self._conv(key_channels, "query")
        self.key_conv = self._conv(key_channels, "key")
        self.value_conv = self._conv(value_channels, "value")
        self.output_conv = self._conv(channels, "output")
        for conv in (self.query_conv, self.key_conv, self.value_conv):
            conv.build(input_shape)
        self.output_conv.build((*input_shape[:-1], value_channels))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros")

    def _flatten(self, x):
        return ops.reshape(x, (ops.shape(x)[0], -1, x.shape[-1]))

    def call(self, inputs, training=None):
        query = self._flatten(self.query_conv(inputs, training=training))
        pool = self.pool_key_value and not self.pool_after_conv
        context = ops.max_pool(inputs, pool_size=2, strides=2) if pool else inputs
        key = self.key_conv(context, training=training)
        value = self.value_conv(context, training=training)
        if self.pool_key_value and self.pool_after_conv:
            key = ops.max_pool(key, pool_size=2, strides=2)
            value = ops.max_pool(value, pool_size=2, strides=2)
        key, value = self._flatten(key), self._flatten(value)
        logits = ops.matmul(query, ops.transpose(key, (0, 2, 1)))
        attention = ops.cast(
            ops.softmax(ops.cast(logits, "float32"), axis=-1), value.dtype
        )
        attended = ops.matmul(attention, value)
        batch, height, width = ops.shape(inputs)[:3]
        attended = ops.reshape(attended, (batch, height, width, value.shape[-1]))
        output = self.output_conv(attended, training=training)
        return inputs + ops.cast(self.gamma, output.dtype) * output

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "key_channels": self.key_channels,
                "value_channels": self.value_channels,
                "spectral_norm": self.spectral_norm,
                "pool_key_value": self.pool_key_value,
                "pool_after_conv": self.pool_after_conv,
                "sigma_estimate": self.sigma_estimate,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
            }
        )
        return config

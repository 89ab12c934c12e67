"""Conditional batch normalization (de Vries et al. 2017; Brock et al. 2019, BigGAN)."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers._utils import clone_initializer
from ganzoo.layers.spectral_norm import SNDense, SNEmbedding


@keras.saving.register_keras_serializable(package="ganzoo")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalization with a per-sample affine from a condition.

    Conditional BN (de Vries et al. 2017) as used by BigGAN (Brock et al.
    2019): `batch_norm(x) * (1 + gain(cond)) + bias(cond)`, where the batch
    norm has no affine of its own and `gain`, `bias` are dense projections of
    a conditioning vector (BigGAN: shared class embedding concatenated with a
    chunk of z) or, with `num_classes`, embeddings of integer labels. Moving
    statistics are updated only when `training=True`. Inputs `[x, cond]`,
    channels last; output has the shape of `x`.

    Args:
        num_classes: int or None. If set, `cond` holds integer labels `(B,)`
            or `(B, 1)` looked up in embeddings; if None, `cond` is a vector
            `(B, D)`. Default None.
        spectral_norm: bool, spectral-normalize the projections (BigGAN's G
            does). Default False.
        momentum: float, moving statistics momentum. Default 0.9 (PyTorch's
            0.1, as in BigGAN).
        epsilon: float, batch norm epsilon. Default 1e-5.
        kernel_initializer: initializer of the projections.
        projection_bias: bool, give the dense projections a bias (BigGAN-PyTorch's
            have none). Default True.
        sigma_estimate: the projections' `SpectralNorm` sigma estimate,
            "stored" (default) or "iterate".
    """

    def __init__(
        self,
        num_classes=None,
        spectral_norm=False,
        momentum=0.9,
        epsilon=1e-5,
        kernel_initializer="glorot_uniform",
        projection_bias=True,
        sigma_estimate="stored",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.projection_bias = projection_bias
        self.sigma_estimate = sigma_estimate
        self.num_classes = num_classes
        self.spectral_norm = spectral_norm
        self.momentum = momentum
        self.epsilon = epsilon
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def _projection(self, channels, name):
        initializer = clone_initializer(self.kernel_initializer)
        if self.num_classes is None:
            if self.spectral_norm:
                return SNDense(channels, use_bias=self.projection_bias,
                               kernel_initializer=initializer,
                               sigma_estimate=self.sigma_estimate,
                               dtype=self.dtype_policy, name=name)
            return keras.layers.Dense(
                channels,
                use_bias=self.projection_bias,
                kernel_initializer=initializer,
                dtype=self.dtype_policy,
                name=name,
            )
        if self.spectral_norm:
            return SNEmbedding(self.num_classes, channels,
                               embeddings_initializer=initializer,
                               sigma_estimate=self.sigma_estimate,
                               dtype=self.dtype_policy, name=name)
        return keras.layers.Embedding(
            self.num_classes,
            channels,
            embeddings_initializer=initializer,
            dtype=self.dtype_policy,
            name=name,
        )

    def build(self, input_shape):
        x_shape, cond_shape = input_shape
        channels = x_shape[-1]
        self.batch_norm = keras.layers.BatchNormalization(
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=False,
            scale=False,
            dtype=self.dtype_policy,
            name="batch_norm",
        )
        self.batch_norm.build(x_shape)
        self.gain = self._projection(channels, "gain")
        self.bias = self._projection(channels, "bias")
        if self.num_classes is not None:
            cond_shape = (cond_shape[0],)
        self.gain.build(cond_shape)
        self.bias.build(cond_shape)

    def call(self, inputs, training=None):
        x, cond = inputs
        if self.num_classes is not None:
            cond = ops.reshape(cond, (-1,))
        normalized = self.batch_norm(x, training=training)
        gain = 1.0 + self.gain(cond, training=training)
        bias = self.bias(cond, training=training)
        # (B, C) -> (B, 1, ..., 1, C) to broadcast over the spatial axes.
        spatial = (1,) * (len(x.shape) - 2)
        gain = ops.reshape(gain, (-1, *spatial, x.shape[-1]))
        bias = ops.reshape(bias, (-1, *spatial, x.shape[-1]))
        return normalized * gain + bias

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "spectral_norm": self.spectral_norm,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "projection_bias": self.projection_bias,
                "sigma_estimate": self.sigma_estimate,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
            }
        )
        return config

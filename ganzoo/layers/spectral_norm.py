"""Spectral normalization (Miyato et al. 2018, "Spectral Normalization for GANs")."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers.reparametrization import (
    KernelReparametrization,
    ReparametrizedConv2D,
    ReparametrizedDense,
    ReparametrizedEmbedding,
)


def _l2_normalize(x, epsilon):
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), epsilon)


class SpectralNorm(KernelReparametrization):
    """Mixin: the op uses `W / sigma(W)`, sigma by power iteration.

    The kernel is viewed as a matrix `(prod(shape[:-1]), shape[-1])`. The
    right singular vector estimate `u` (length `shape[-1]`) is a non-trainable
    float32 weight `sn_u`, so it is saved with the model. With
    `training=True`, `power_iterations` steps refine `u` and store it; in
    every mode `sigma = v . (W u)` with `v = normalize(W u)`, `u` and `v`
    treated as constants, so the gradient flows through sigma (Miyato et
    al., Algorithm 1) and inference after a training step uses exactly the
    sigma that step used. The stored kernel is never overwritten.
    """

    def __init__(self, *args, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(*args, **kwargs)
        if power_iterations < 1:
            raise ValueError(f"power_iterations must be >= 1, got {power_iterations}.")
        self.power_iterations = power_iterations
        self.epsilon = epsilon

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        self.sn_u = self.add_weight(
            name="sn_u",
            shape=(self.stored_kernel.shape[-1],),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            dtype="float32",
            autocast=False,
        )

    def spectral_norm(self, kernel, training=None):
        """Returns sigma(kernel) as a float32 scalar; updates `sn_u` if training."""
        w = ops.reshape(ops.cast(kernel, "float32"), (-1, kernel.shape[-1]))
        u = ops.convert_to_tensor(self.sn_u)
        if training:
            w_const = ops.stop_gradient(w)
            for _ in range(self.power_iterations):
                v = _l2_normalize(ops.matmul(w_const, u), self.epsilon)
                u = _l2_normalize(ops.matmul(v, w_const), self.epsilon)
            self.sn_u.assign(u)
        u = ops.stop_gradient(u)
        wu = ops.matmul(w, u)
        v = ops.stop_gradient(_l2_normalize(wu, self.epsilon))
        return ops.sum(v * wu)

    def effective_kernel(self, training=None):
        kernel = super().effective_kernel(training)
        sigma = self.spectral_norm(kernel, training)
        return ops.cast(ops.cast(kernel, "float32") / sigma, kernel.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"power_iterations": self.power_iterations, "epsilon": self.epsilon}
        )
        return config


@keras.saving.register_keras_serializable(package="ganzoo")
class SNDense(SpectralNorm, ReparametrizedDense):
    """Dense layer with spectral normalization (Miyato et al. 2018, SN-GAN).

    Takes the arguments of `keras.layers.Dense`, plus:
        power_iterations: int, power-iteration steps per training call.
            Default 1.
        epsilon: float, floor of the norms in the power iteration.
    """


@keras.saving.register_keras_serializable(package="ganzoo")
class SNConv2D(SpectralNorm, ReparametrizedConv2D):
    """Conv2D layer with spectral normalization (Miyato et al. 2018, SN-GAN).

    Takes the arguments of `keras.layers.Conv2D`, plus `power_iterations`
    and `epsilon` as in `SNDense`. The kernel is normalized as a matrix
    `(kernel_height * kernel_width * input_channels, filters)`.
    """


@keras.saving.register_keras_serializable(package="ganzoo")
class SNEmbedding(SpectralNorm, ReparametrizedEmbedding):
    """Embedding with spectral normalization (Miyato et al. 2018; BigGAN).

    Takes the arguments of `keras.layers.Embedding`, plus `power_iterations`
    and `epsilon` as in `SNDense`. The table `(input_dim, output_dim)` is
    normalized as a matrix, as BigGAN's SN embeddings and projection
    discriminators do.
    """

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

    With `sigma_estimate="iterate"` the layer computes sigma as the official
    SN-GAN and BigGAN-PyTorch code do: every call runs a power-iteration step
    from the stored `u` (`v = normalize(W u)`, `u' = normalize(W^T v)`;
    `power_iterations` steps when training), stores `u'` only when training,
    and uses `sigma = u' . (W^T v)` of its last step. Inference then runs one
    step further than the last training step did. Embeddings normalize their
    table transposed in this mode (`u` has one entry per class), as
    BigGAN-PyTorch's `SNEmbedding` does.

    With `sigma_estimate="stored_uv"` the layer keeps both singular vector
    estimates, `u` and `v` (a second non-trainable weight `sn_v`), as
    `torch.nn.utils.spectral_norm` does: training steps run as in "iterate"
    and store both; inference uses `sigma = u . (v W)` from the stored pair,
    without a power step. Embeddings are transposed as in "iterate".
    """

    SIGMA_ESTIMATES = ("stored", "iterate", "stored_uv")

    def __init__(self, *args, power_iterations=1, epsilon=1e-12, sigma_estimate="stored",
                 **kwargs):
        super().__init__(*args, **kwargs)
        if power_iterations < 1:
            raise ValueError(f"power_iterations must be >= 1, got {power_iterations}.")
        if sigma_estimate not in self.SIGMA_ESTIMATES:
            raise ValueError(f"sigma_estimate must be one of {self.SIGMA_ESTIMATES}, "
                             f"got {sigma_estimate!r}.")
        self.power_iterations = power_iterations
        self.epsilon = epsilon
        self.sigma_estimate = sigma_estimate

    def sn_matrix(self, kernel):
        """The kernel as the matrix whose top singular value is sigma; `u` has
        one entry per column."""
        return ops.reshape(ops.cast(kernel, "float32"), (-1, kernel.shape[-1]))

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        self.sn_u = self.add_weight(
            name="sn_u",
            shape=(self.sn_matrix(self.stored_kernel).shape[-1],),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            dtype="float32",
            autocast=False,
        )
        if self.sigma_estimate == "stored_uv":
            self.sn_v = self.add_weight(
                name="sn_v",
                shape=(self.sn_matrix(self.stored_kernel).shape[0],),
                initializer=keras.initializers.RandomNormal(stddev=1.0),
                trainable=False,
                dtype="float32",
                autocast=False,
            )

    def spectral_norm(self, kernel, training=None):
        """Returns sigma(kernel) as a float32 scalar; updates `sn_u` if training."""
        w = self.sn_matrix(kernel)
        u = ops.convert_to_tensor(self.sn_u)
        if self.sigma_estimate == "iterate":
            return self._iterated_sigma(w, u, training)
        if self.sigma_estimate == "stored_uv":
            return self._stored_pair_sigma(w, u, training)
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

    def _iterated_sigma(self, w, u, training):
        w_const = ops.stop_gradient(w)
        for _ in range(self.power_iterations if training else 1):
            v = _l2_normalize(ops.matmul(w_const, u), self.epsilon)
            u = _l2_normalize(ops.matmul(v, w_const), self.epsilon)
        if training:
            self.sn_u.assign(u)
        return ops.sum(ops.stop_gradient(u) * ops.matmul(ops.stop_gradient(v), w))

    def _stored_pair_sigma(self, w, u, training):
        v = ops.convert_to_tensor(self.sn_v)
        if training:
            w_const = ops.stop_gradient(w)
            for _ in range(self.power_iterations):
                v = _l2_normalize(ops.matmul(w_const, u), self.epsilon)
                u = _l2_normalize(ops.matmul(v, w_const), self.epsilon)
            self.sn_u.assign(u)
            self.sn_v.assign(v)
        return ops.sum(ops.stop_gradient(u) * ops.matmul(ops.stop_gradient(v), w))

    def effective_kernel(self, training=None):
        kernel = super().effective_kernel(training)
        sigma = self.spectral_norm(kernel, training)
        return ops.cast(ops.cast(kernel, "float32") / sigma, kernel.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"power_iterations": self.power_iterations, "epsilon": self.epsilon,
             "sigma_estimate": self.sigma_estimate}
        )
        return config


@keras.saving.register_keras_serializable(package="ganzoo")
class SNDense(SpectralNorm, ReparametrizedDense):
    """Dense layer with spectral normalization (Miyato et al. 2018, SN-GAN).

    Takes the arguments of `keras.layers.Dense`, plus:
        power_iterations: int, power-iteration steps per training call.
            Default 1.
        epsilon: float, floor of the norms in the power iteration.
        sigma_estimate: "stored" (default), "iterate" or "stored_uv", see
            `SpectralNorm`.
    """


@keras.saving.register_keras_serializable(package="ganzoo")
class SNConv2D(SpectralNorm, ReparametrizedConv2D):
    """Conv2D layer with spectral normalization (Miyato et al. 2018, SN-GAN).

    Takes the arguments of `keras.layers.Conv2D`, plus `power_iterations`,
    `epsilon` and `sigma_estimate` as in `SNDense`. The kernel is normalized as a matrix
    `(kernel_height * kernel_width * input_channels, filters)`.
    """


@keras.saving.register_keras_serializable(package="ganzoo")
class SNEmbedding(SpectralNorm, ReparametrizedEmbedding):
    """Embedding with spectral normalization (Miyato et al. 2018; BigGAN).

    Takes the arguments of `keras.layers.Embedding`, plus `power_iterations`,
    `epsilon` and `sigma_estimate` as in `SNDense`. The table `(input_dim, output_dim)` is
    normalized as a matrix, as BigGAN's SN embeddings and projection
    discriminators do (transposed with `sigma_estimate` "iterate" or "stored_uv").
    """

    def sn_matrix(self, kernel):
        matrix = super().sn_matrix(kernel)
        return matrix if self.sigma_estimate == "stored" else ops.transpose(matrix)

"""Gradient penalties around the data: DRAGAN and the maximum gradient penalty.

- ``dragan`` (Kodali et al. 2017, "On Convergence and Stability of GANs"):
  WGAN-GP's ``(||grad D(x_hat)|| - 1)^2``, averaged over the batch, at points
  near the reals: ``x_hat = x + alpha * 0.5 * std(x) * u``, with ``alpha ~
  U(0, 1)`` per image, ``u ~ U(0, 1)`` per pixel and ``std(x)`` the standard
  deviation of the whole real batch. Weight 10.
- ``maxgp``: the squared gradient norm at WGAN-GP's interpolates
  ``eps * x + (1 - eps) * G(z)``, maximized over the batch instead of
  averaged, and with no target norm: ``max_i ||grad D(x_hat_i)||^2``, as in
  PyTorch-StudioGAN's maximum gradient penalty. Weight 10.

Both take their input gradients from the backend (``StepContext.input_gradient``).
"""

from __future__ import annotations

from keras import ops

from ganzoo.regularizers import Regularizer


def _norms_squared(grads):
    grads = ops.cast(grads, "float32")
    return ops.sum(ops.square(ops.reshape(grads, (ops.shape(grads)[0], -1))), axis=1)


def _per_image(gan, images):
    return gan.sample_uniform((ops.shape(images)[0],) + (1,) * (len(images.shape) - 1))


class DRAGANPenalty(Regularizer):
    """DRAGAN: mean((||grad D(x + alpha 0.5 std(x) u)|| - 1)^2) (weight 10)."""

    name = "dragan"
    default_weight = 10.0

    def __call__(self, ctx):
        real = ops.cast(ctx.real, "float32")
        noise = ctx.gan.sample_uniform(ops.shape(real))
        perturbed = real + _per_image(ctx.gan, real) * 0.5 * ops.std(real) * noise
        norm = ops.sqrt(_norms_squared(ctx.input_gradient(perturbed)) + 1e-12)
        return ops.mean(ops.square(norm - 1.0))


class MaxGradientPenalty(Regularizer):
    """Max-GP: max over the batch of ||grad D(x_hat)||^2 at real-fake interpolates (weight 10)."""

    name = "maxgp"
    default_weight = 10.0

    def __call__(self, ctx):
        real = ops.cast(ctx.real, "float32")
        eps = _per_image(ctx.gan, real)
        mixed = eps * real + (1.0 - eps) * ops.cast(ctx.fake, "float32")
        return ops.max(_norms_squared(ctx.input_gradient(mixed)))

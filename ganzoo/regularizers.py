"""Regularizers: penalties added to a network's loss, and weight constraints.

A regularizer knows whom it applies to (``target``), its ``weight`` and its
``interval``: with ``interval=k`` it is evaluated every k-th step only and its
weight is multiplied by k (lazy regularization, Karras et al. 2020). Penalties
that need gradients with respect to the inputs (GP, R1, R2) get them through
``StepContext.input_gradient``, which the backend supplies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import keras
from keras import ops

from ganzoo.errors import GanzooError

DISCRIMINATOR = "discriminator"
GENERATOR = "generator"


@dataclass
class StepContext:
    """What one phase of the train step hands a regularizer."""

    gan: Any
    real: Any
    fake: Any
    labels: Any
    real_logits: Any = None
    fake_logits: Any = None

    def discriminate(self, images, training: bool = True):
        return self.gan.discriminator_forward(images, self.labels, training=training)

    def input_gradient(self, images):
        """Gradient of sum(D(images)) w.r.t. images, differentiable."""
        return self.gan.input_gradient(self.discriminate, images)


def _squared_norm(grads):
    grads = ops.cast(grads, "float32")
    return ops.sum(ops.square(ops.reshape(grads, (ops.shape(grads)[0], -1))), axis=1)


class Regularizer:
    """Base class. Subclasses set ``name``, ``target`` and implement ``__call__``."""

    name: ClassVar[str] = ""
    target: ClassVar[str] = DISCRIMINATOR
    default_weight: ClassVar[float] = 1.0

    def __init__(self, weight: float | None = None, interval: int = 1):
        weight = self.default_weight if weight is None else float(weight)
        if weight < 0:
            raise GanzooError(f"{self.name} weight={weight} must be >= 0")
        if int(interval) != interval or interval < 1:
            raise GanzooError(
                f"{self.name} interval={interval} must be a whole number >= 1"
            )
        self.weight = weight
        self.interval = int(interval)

    def __call__(self, ctx: StepContext):
        """The unweighted penalty (a scalar)."""
        raise NotImplementedError

    def on_compile(self, gan) -> None:
        """Called when the GAN is compiled (constraints attach themselves here)."""

    def get_config(self) -> dict:
        return {"weight": self.weight, "interval": self.interval}

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _serializable(cls):
    return keras.saving.register_keras_serializable(package="ganzoo")(cls)


@_serializable
class GradientPenalty(Regularizer):
    """WGAN-GP (Gulrajani et al. 2017): E[(||grad D(x_hat)|| - 1)^2] on interpolates."""

    name = "gp"
    default_weight = 10.0

    def __call__(self, ctx):
        shape = (ops.shape(ctx.real)[0],) + (1,) * (len(ctx.real.shape) - 1)
        eps = ctx.gan.sample_uniform(shape)
        real = ops.cast(ctx.real, "float32")
        fake = ops.cast(ctx.fake, "float32")
        mixed = eps * real + (1.0 - eps) * fake
        norm = ops.sqrt(_squared_norm(ctx.input_gradient(mixed)) + 1e-12)
        return ops.mean(ops.square(norm - 1.0))


@_serializable
class R1Penalty(Regularizer):
    """R1 (Mescheder et al. 2018): gamma/2 * E||grad D(x_real)||^2; weight is gamma."""

    name = "r1"
    default_weight = 10.0

    def __call__(self, ctx):
        return 0.5 * ops.mean(_squared_norm(ctx.input_gradient(ctx.real)))


@_serializable
class R2Penalty(Regularizer):
    """R2: the R1 penalty on generated images."""

    name = "r2"
    default_weight = 10.0

    def __call__(self, ctx):
        return 0.5 * ops.mean(_squared_norm(ctx.input_gradient(ctx.fake)))


@_serializable
class DriftPenalty(Regularizer):
    """ProGAN's drift term: epsilon * E[D(x_real)^2] keeps critic outputs near 0."""

    name = "drift"
    default_weight = 0.001

    def __call__(self, ctx):
        return ops.mean(ops.square(ops.cast(ctx.real_logits, "float32")))


def orthogonal_penalty(kernels) -> Any:
    """sum over kernels of ||W^T W * (1 - I)||_F^2, W = kernel reshaped (-1, out)."""
    total = 0.0
    for kernel in kernels:
        w = ops.reshape(ops.cast(kernel, "float32"), (-1, kernel.shape[-1]))
        gram = ops.matmul(ops.transpose(w), w)
        off_diagonal = gram * (1.0 - ops.eye(kernel.shape[-1]))
        total = total + ops.sum(ops.square(off_diagonal))
    return total


@_serializable
class OrthogonalRegularization(Regularizer):
    """BigGAN's off-diagonal orthogonal regularization (Brock et al. 2019) on G.

    Applies to every trainable weight with two or more dimensions (conv and
    dense kernels) except those whose path contains one of ``exclude``
    (the shared class embedding by default).
    """

    name = "orthogonal"
    target = GENERATOR
    default_weight = 1e-4

    def __init__(self, weight=None, interval=1, exclude=("embedding",)):
        super().__init__(weight, interval)
        self.exclude = tuple(exclude)

    def kernels(self, gan):
        return [
            v
            for v in gan.generator.trainable_variables
            if len(v.shape) >= 2 and not any(e in v.path for e in self.exclude)
        ]

    def __call__(self, ctx):
        return orthogonal_penalty(self.kernels(ctx.gan))

    def get_config(self):
        return {**super().get_config(), "exclude": list(self.exclude)}


@_serializable
class ClipConstraint(keras.constraints.Constraint):
    """Clips every weight to [-clip, clip]."""

    def __init__(self, clip: float):
        self.clip = float(clip)

    def __call__(self, w):
        return ops.clip(w, -self.clip, self.clip)

    def get_config(self):
        return {"clip": self.clip}


@_serializable
class WeightClipping(Regularizer):
    """WGAN's weight clipping (Arjovsky et al. 2017) as a constraint on D's weights.

    It adds no loss term: the optimizer clips every discriminator weight to
    [-clip, clip] after each update.
    """

    name = "weight_clipping"
    is_constraint = True

    def __init__(self, clip: float = 0.01, weight=0.0, interval=1):
        super().__init__(0.0, 1)
        if clip <= 0:
            raise GanzooError(f"weight_clipping clip={clip} must be > 0")
        self.clip = float(clip)

    def on_compile(self, gan):
        constraint = ClipConstraint(self.clip)
        for variable in gan.discriminator.trainable_variables:
            variable.constraint = constraint

    def __call__(self, ctx):
        return 0.0

    def get_config(self):
        return {"clip": self.clip}


BUILTIN_REGULARIZERS = [
    GradientPenalty,
    R1Penalty,
    R2Penalty,
    DriftPenalty,
    OrthogonalRegularization,
    WeightClipping,
]

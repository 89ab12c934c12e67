"""Regularizers: penalties added to a network's loss.

A regularizer knows whom it applies to (``target``), its ``weight`` and its
``interval``: with ``interval=k`` it runs in its own phase every k-th step and
its weight is multiplied by k (lazy regularization, Karras et al. 2020; see
ganzoo.phases). Penalties that need gradients with respect to the inputs
(GP, R1, R2) get them through ``StepContext.input_gradient``, which the
backend supplies.

A regularizer with state (a running mean, say) creates Keras variables in
``build(gan)`` with ``self.add_variable``; the GAN tracks them, so they are
saved in ``.keras`` files and carried through JAX's stateless train step.
Regularizers are saved in a GAN's compile config as registry dicts
(``{"name": ..., **get_config()}``) and found again by name, so a
plugin-registered subclass needs no Keras serialization decorator.

Weight clipping is a constraint, not a regularizer: see ganzoo.constraints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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
    z: Any = None  # the latents the phase's fakes were made from

    def discriminate(self, images, training: bool = True):
        """D's logits for ``images`` (through the GAN's augmentation point)."""
        return self.gan.discriminate(images, self.labels, training=training)

    def input_gradient(self, images):
        """Gradient of sum(D(images)) w.r.t. images, differentiable."""
        return self.gan.input_gradient(self.discriminate, images)


class OnDemandStepContext(StepContext):
    """A ``StepContext`` that makes the fakes and D's logits when first read.

    A lazy D phase (``Dreg``) has no adversarial loss: what its regularizers
    do not read is never computed (R1 reads only the reals), as in
    StyleGAN2's ``Dreg``. ``make_fake()`` returns the phase's fakes.
    """

    def __init__(self, gan, real, labels, make_fake, z=None):  # noqa: D107 (no dataclass init)
        self.gan, self.real, self.labels, self._make_fake = gan, real, labels, make_fake
        self.z = z

    @cached_property
    def fake(self):
        return self._make_fake()

    @cached_property
    def real_logits(self):
        return self.discriminate(self.real)

    @cached_property
    def fake_logits(self):
        return self.discriminate(self.fake)


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

    def parts(self) -> list:
        """The regularizers ``compile`` installs for this one: ``[self]``, or several
        (zCR is a D term and a G term; each part is saved under its own name)."""
        return [self]

    def build(self, gan) -> None:
        """Create state with ``self.add_variable`` (called once per ``GAN.compile``)."""

    def add_variable(self, name: str, shape=(), initializer="zeros", dtype="float32"):
        """A non-trainable variable owned by this regularizer and tracked by the GAN.

        Only valid inside ``build``. Assign to it inside ``__call__``; the
        assignment sticks on every backend (also under JAX's jit).
        """
        state = getattr(self, "state", None)
        if state is None:
            raise GanzooError(
                f"{type(self).__name__}.add_variable is only valid inside build(gan)"
            )
        return state.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                                trainable=False, name=name)

    def to_registry_config(self) -> dict:
        """``{"name": ..., **get_config()}``: what a GAN's compile config stores."""
        return {"name": self.name, **self.get_config()}

    def get_config(self) -> dict:
        return {"weight": self.weight, "interval": self.interval}

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


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


class R1Penalty(Regularizer):
    """R1 (Mescheder et al. 2018): gamma/2 * E||grad D(x_real)||^2; weight is gamma."""

    name = "r1"
    default_weight = 10.0

    def __call__(self, ctx):
        return 0.5 * ops.mean(_squared_norm(ctx.input_gradient(ctx.real)))


class R2Penalty(Regularizer):
    """R2: the R1 penalty on generated images."""

    name = "r2"
    default_weight = 10.0

    def __call__(self, ctx):
        return 0.5 * ops.mean(_squared_norm(ctx.input_gradient(ctx.fake)))


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


def log_names(regularizers) -> list[str]:
    """A log name per regularizer: its name, with ``_i`` only when names repeat."""
    names = []
    for reg in regularizers:
        same = [r for r in regularizers if r.name == reg.name]
        names.append(reg.name if len(same) == 1 else f"{reg.name}_{same.index(reg)}")
    return names


class RegularizerState(keras.layers.Layer):
    """Holds the variables regularizers create in ``build(gan)``, one sub-layer each."""

    def __init__(self, gan, **kwargs):
        super().__init__(name="regularizer_state", **kwargs)
        self.parts = []
        names = log_names(gan.regularizer_list)
        for name, reg in zip(names, gan.regularizer_list, strict=True):
            part = keras.layers.Layer(name=name)
            reg.state = part
            try:
                reg.build(gan)
            finally:
                reg.state = None
            part.built = True
            self.parts.append(part)
        self.built = True


BUILTIN_REGULARIZERS = [
    GradientPenalty,
    R1Penalty,
    R2Penalty,
    DriftPenalty,
    OrthogonalRegularization,
]

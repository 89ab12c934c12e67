"""Adversarial losses as pure keras.ops functions of discriminator logits.

Each loss is a pair: ``discriminator(real_logits, fake_logits, label_smoothing)``
and ``generator(fake_logits, real_logits)``. ``label_smoothing`` is one-sided:
real targets become ``1 - label_smoothing`` (Salimans et al. 2016).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from keras import ops

from ganzoo.errors import GanzooError


def _mean(x):
    return ops.mean(ops.cast(x, "float32"))


def _bce_real(logits, smoothing=0.0):
    """Binary cross-entropy against target 1 - smoothing, from logits."""
    logits = ops.cast(logits, "float32")
    target = 1.0 - smoothing
    return target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)


def non_saturating_d(real, fake, label_smoothing=0.0):
    return _mean(_bce_real(real, label_smoothing)) + _mean(ops.softplus(fake))


def non_saturating_g(fake, real=None):
    return _mean(ops.softplus(-ops.cast(fake, "float32")))


def minimax_g(fake, real=None):
    # G minimises log(1 - D(G(z))) = -softplus(fake).
    return -_mean(ops.softplus(ops.cast(fake, "float32")))


def least_squares_d(real, fake, label_smoothing=0.0):
    real, fake = ops.cast(real, "float32"), ops.cast(fake, "float32")
    return 0.5 * _mean(ops.square(real - (1.0 - label_smoothing))) + 0.5 * _mean(
        ops.square(fake)
    )


def least_squares_g(fake, real=None):
    return 0.5 * _mean(ops.square(ops.cast(fake, "float32") - 1.0))


def wasserstein_d(real, fake, label_smoothing=0.0):
    return _mean(fake) - _mean(real)


def wasserstein_g(fake, real=None):
    return -_mean(fake)


def hinge_d(real, fake, label_smoothing=0.0):
    real, fake = ops.cast(real, "float32"), ops.cast(fake, "float32")
    return _mean(ops.relu(1.0 - real)) + _mean(ops.relu(1.0 + fake))


def relativistic_average_d(real, fake, label_smoothing=0.0):
    real, fake = ops.cast(real, "float32"), ops.cast(fake, "float32")
    return _mean(_bce_real(real - ops.mean(fake), label_smoothing)) + _mean(
        ops.softplus(fake - ops.mean(real))
    )


def relativistic_average_g(fake, real):
    real, fake = ops.cast(real, "float32"), ops.cast(fake, "float32")
    return _mean(ops.softplus(-(fake - ops.mean(real)))) + _mean(
        ops.softplus(real - ops.mean(fake))
    )


@dataclass(frozen=True)
class AdversarialLoss:
    """A discriminator/generator loss pair and what it needs from the train step."""

    name: str
    discriminator: Callable
    generator: Callable
    supports_label_smoothing: bool = False
    generator_needs_real: bool = False  # G loss reads D(real) too

    def check_label_smoothing(self, value: float) -> None:
        if not 0.0 <= value < 1.0:
            raise GanzooError(
                f"label_smoothing={value} is out of range; use a value in [0, 1)"
            )
        if value and not self.supports_label_smoothing:
            raise GanzooError(
                f"loss '{self.name}' has no real-label target to smooth; "
                "use label_smoothing=0 or a cross-entropy or least-squares loss"
            )


BUILTIN_LOSSES = [
    AdversarialLoss("non_saturating", non_saturating_d, non_saturating_g, True),
    AdversarialLoss("minimax", non_saturating_d, minimax_g, True),
    AdversarialLoss("least_squares", least_squares_d, least_squares_g, True),
    AdversarialLoss("wasserstein", wasserstein_d, wasserstein_g),
    AdversarialLoss("hinge", hinge_d, wasserstein_g),
    AdversarialLoss(
        "relativistic_average",
        relativistic_average_d,
        relativistic_average_g,
        True,
        generator_needs_real=True,
    ),
]

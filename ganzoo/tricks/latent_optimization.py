"""LOGAN: latent optimisation (Wu et al. 2019, "LOGAN: Latent Optimisation for
Generative Adversarial Networks"), in the form PyTorch-StudioGAN trains it.

Before a main phase makes its fakes, each latent takes ``steps`` natural-gradient
steps that raise D's logit on its fake, ``f(z) = D(G(z))``::

    g  = df/dz                                  (per sample)
    dz = alpha * g / (beta + |g|^2)             (NGD with damping beta)
    z' = z + m * dz,   m ~ Bernoulli(rate)      (per sample, redrawn each step)

The phase's adversarial loss (and its conditioning terms) is then computed on
``G(z')``, and ``weight * mean(|dz|^2)`` (summed over the steps) joins the
loss of that phase. The step is differentiable: the gradient of the phase's
loss reaches the weights through ``dz`` as well (the second-order terms the
paper analyses); with ``backprop_step=False`` ``dz`` is a constant in ``G(z')``
(the term ``|dz|^2`` still differentiates through ``g``). ``discriminator``
(on by default, as StudioGAN) applies it in D's main phase too.

``g`` comes from the backend's input gradient (``GAN.input_gradient``, as for
R1), D taking the fakes without the augmentation, as StudioGAN's step does.
Defaults are StudioGAN's CIFAR-10 LOGAN config: alpha 0.9, beta 0.1, rate
0.8, weight 0.1 and one step (its ``lo_steps4train: 2`` runs one step).
StudioGAN's latents are uniform on [-1, 1] and it clips ``z'`` to that range;
ganzoo's are normal, so ``clip`` is off unless given.
"""

from __future__ import annotations

import inspect

from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.registry import parse_named
from ganzoo.regularizers import DISCRIMINATOR


class LatentOptimization:
    """LOGAN's latent step before the main phases (``compile(latent_optimization=...)``)."""

    def __init__(self, alpha: float = 0.9, beta: float = 0.1, rate: float = 0.8,
                 steps: int = 1, weight: float = 0.1, discriminator: bool = True,
                 backprop_step: bool = True, clip: float | None = None):
        for name, v in (("alpha", alpha), ("beta", beta), ("weight", weight)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise GanzooError(f"latent_optimization {name}={v!r}: use a number >= 0")
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise GanzooError(f"latent_optimization rate={rate!r}: use a value in [0, 1]")
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise GanzooError(f"latent_optimization steps={steps!r}: use a whole number >= 1")
        if clip is not None and (isinstance(clip, bool) or not isinstance(clip, (int, float))
                                 or clip <= 0):
            raise GanzooError(f"latent_optimization clip={clip!r}: use a number > 0 or None")
        for name, v in (("discriminator", discriminator), ("backprop_step", backprop_step)):
            if not isinstance(v, bool):
                raise GanzooError(f"latent_optimization {name}={v!r}: use true or false")
        self.alpha, self.beta, self.rate = float(alpha), float(beta), float(rate)
        self.steps, self.weight = steps, float(weight)
        self.discriminator, self.backprop_step = discriminator, backprop_step
        self.clip = None if clip is None else float(clip)

    def applies_to(self, network: str) -> bool:
        return network != DISCRIMINATOR or self.discriminator

    def score(self, gan, labels):
        """``z -> D(G(z))``: the adversarial logit per latent (no augmentation)."""
        def f(z):
            fake = gan.generator_forward(z, labels, training=True)
            out = gan.discriminator_forward(fake, labels, training=True)
            return out["logits"] if isinstance(out, dict) else out
        return f

    def optimize(self, gan, z, labels):
        """``(z', mean |dz|^2 summed over the steps)`` for latents ``z`` (B, dim)."""
        cost = 0.0
        for _ in range(self.steps):
            g = ops.cast(gan.input_gradient(self.score(gan, labels), z), "float32")
            dz = self.alpha * g / (self.beta + ops.sum(ops.square(g), axis=1, keepdims=True))
            cost = cost + ops.mean(ops.sum(ops.square(dz), axis=1))
            moved = ops.cast(gan.sample_uniform((ops.shape(z)[0], 1)) < self.rate, "float32")
            step = moved * (dz if self.backprop_step else ops.stop_gradient(dz))
            z = z + step
            if self.clip is not None:
                z = ops.clip(z, -self.clip, self.clip)
        return z, cost

    def fakes(self, gan, z, labels, network: str):
        """A main phase's ``(fakes, latents, mean |dz|^2)`` from latents ``z``."""
        z, cost = self.optimize(gan, z, labels)
        fake = gan.generator_forward(z, labels, training=True)
        if network == DISCRIMINATOR and not self.backprop_step:
            fake = ops.stop_gradient(fake)
        return fake, ops.stop_gradient(z), cost

    def get_config(self) -> dict:
        return {"alpha": self.alpha, "beta": self.beta, "rate": self.rate,
                "steps": self.steps, "weight": self.weight,
                "discriminator": self.discriminator, "backprop_step": self.backprop_step,
                "clip": self.clip}

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"LatentOptimization({items})"


def for_phase(gan, phase):
    """The GAN's LatentOptimization if it applies to ``phase`` (a main phase), else None."""
    lo = getattr(gan, "latent_optimization", None)
    return lo if lo is not None and phase.adversarial and lo.applies_to(phase.network) else None


def to_latent_optimization(value) -> LatentOptimization | None:
    """A LatentOptimization from None/False (off), True (StudioGAN's settings), a dict,
    an ``"alpha=0.9,steps=2"`` string or a LatentOptimization."""
    if value is None or value is False:
        return None
    if isinstance(value, LatentOptimization):
        return value
    if value is True:
        return LatentOptimization()
    if isinstance(value, str):
        value = {} if value.strip().lower() in ("", "true", "logan") else \
            parse_named("logan:" + value)[1]
    if isinstance(value, dict):
        valid = list(inspect.signature(LatentOptimization).parameters)
        unknown = sorted(set(value) - set(valid))
        if unknown:
            raise GanzooError(f"latent_optimization takes {', '.join(valid)}; "
                              f"got {', '.join(unknown)}")
        return LatentOptimization(**value)
    raise GanzooError(f"latent_optimization={value!r}: pass True, a dict of its options "
                      "(alpha, beta, rate, steps, weight...) or a "
                      "ganzoo.tricks.latent_optimization.LatentOptimization")

"""The phases of a train step: what they are, which run on a step, what one does.

The design follows the training loop of NVlabs' stylegan2-ada-pytorch:
``compile`` turns the loss, regularizers and optimizers into a list of
``Phase`` records, and the step (ganzoo.step) runs the records in order.

For each network (D first, then G; G first with ``compile(generator_first=True)``)
there is one main phase and, for regularizers with ``interval > 1``, one
regularization phase::

    Dmain / Dboth   D's adversarial loss (+ every interval-1 D regularizer: "both")
    Dreg            D's lazy regularizers only, every ``interval`` steps
    Gmain / Gboth   G's adversarial loss (+ every interval-1 G regularizer)
    Greg            G's lazy regularizers only

Each record holds its network, its optimizer, what it adds to the loss and
its interval. A phase with interval k runs on steps 0, k, 2k, ... (see
``due_phase_names``) and scales its regularizers' weights by k, so on
average they weigh what they would every step (lazy regularization, Karras
et al. 2020). Because a lazy phase takes an extra optimizer step,
``compile(lazy_rescale=True)`` rescales that network's optimizer: lr *=
k/(k+1), beta_i **= k/(k+1) (ganzoo.optimizers). A network whose lazy
regularizers have two different intervals gets one phase per interval
(``Dreg2``, ``Dreg4``...).

One phase (``run_discriminator_phase``, ``run_generator_phase``) is one
optimizer step of its network: its loss is differentiated with respect to
the network's trainable weights (ganzoo.backends supplies the mechanics),
``compile(sanitize_gradients=True)`` replaces non-finite gradients as
stylegan2-ada-pytorch does, and the optimizer steps; a D phase then applies
``compile(d_constraint=...)`` (WGAN's weight clipping) and, after the
adversarial loss, the augmentation's ``update(real_logits)``. An
augmentation that ``replaces_reals`` (APA) first gets
``replace_reals(real, fake)`` in every D phase, lazy ones included, and the
phase (its loss, its regularizers, ``update``) takes what it returns as the
reals. Regularizers get a ``StepContext`` with reals, fakes and labels; D's
logits are in it except in ``Greg`` (which runs no adversarial loss, so no D).

With ``compile(topk=...)`` G's adversarial loss counts only the fakes D
rates most real (ganzoo.tricks.topk); regularizers also get the phase's
latents (``StepContext.z``, which zCR perturbs). With
``compile(latent_optimization=...)`` (LOGAN, ganzoo.tricks.latent_optimization)
the main phases first move their latents one natural-gradient step up D's
logit and make their fakes from the moved latents (``d_logan``/``g_logan``).

The main phases read all of D's outputs (``gan.discriminate(...,
outputs=True)``): a conditioning head's auxiliary outputs go to its terms
(``ganzoo.conditioning``), which join the loss as ``d_cond``/``g_cond``, or,
for a conditioning that ``replaces_loss``, are the adversarial loss.
Regularizers see the adversarial logit only.

Each phase returns the values it logs, under the names in ``LOGGED`` (its
adversarial loss and, for D, its mean logits on reals and fakes) and one
name per regularizer (``ganzoo.regularizers.log_names``: its name, with
``_i`` when two share one; the value before its weight).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras
from keras import ops

from ganzoo import backends
from ganzoo.regularizers import (
    DISCRIMINATOR,
    GENERATOR,
    OnDemandStepContext,
    StepContext,
    log_names,
)
from ganzoo.tricks import latent_optimization

# What the adversarial parts of the main phases log, in the order fit shows them:
# D's loss, G's loss, D's mean logit on the reals and on the fakes.
LOGGED = ("d_loss", "g_loss", "d_real", "d_fake")
# What a conditioning of D with loss terms adds (ganzoo.conditioning), weighted.
COND_LOGGED = ("d_cond", "g_cond")


@dataclass(frozen=True)
class Phase:
    """One part of the train step: a network, its optimizer and what it minimises.

    Attributes:
        name: ``Dmain``, ``Dboth``, ``Dreg``, ``Gmain``, ``Gboth`` or ``Greg``.
        network: ``"discriminator"`` or ``"generator"``.
        optimizer: the optimizer that steps on the network's trainable weights.
        adversarial: whether the adversarial loss is part of the phase.
        regularizers: ``(log_name, Regularizer)`` pairs added to the loss with
            weight ``regularizer.weight * interval``.
        interval: the phase runs on steps 0, k, 2k, ... for ``interval=k``.
        constraint: applied to every trainable weight after the update (or None).
    """

    name: str
    network: str
    optimizer: Any
    adversarial: bool
    regularizers: tuple = ()
    interval: int = 1
    constraint: Any = field(default=None, compare=False)


def build_phases(gan) -> list[Phase]:
    """The phases of ``gan``'s step from its compiled loss, regularizers and optimizers."""
    named = list(zip(log_names(gan.regularizer_list), gan.regularizer_list,
                     strict=True))
    phases = []
    for prefix, target, optimizer, constraint in (
        ("D", DISCRIMINATOR, gan.d_optimizer, gan.d_constraint),
        ("G", GENERATOR, gan.g_optimizer, None),
    ):
        mine = [(n, r) for n, r in named if r.target == target]
        every = tuple((n, r) for n, r in mine if r.interval == 1)
        phases.append(Phase(prefix + ("both" if every else "main"), target, optimizer,
                            True, every, 1, constraint))
        intervals = sorted({r.interval for _, r in mine if r.interval > 1})
        for k in intervals:
            name = f"{prefix}reg" if len(intervals) == 1 else f"{prefix}reg{k}"
            lazy = tuple((n, r) for n, r in mine if r.interval == k)
            phases.append(Phase(name, target, optimizer, False, lazy, k, constraint))
    return phases


def due_phase_names(phases, step: int) -> frozenset | None:
    """Names of the phases that run on ``step``; None when every phase runs every step."""
    if all(p.interval == 1 for p in phases):
        return None
    return frozenset(p.name for p in phases if step % p.interval == 0)


def logged_names(gan) -> list[str]:
    """Every name the phases of ``gan``'s step log: ``LOGGED``, the conditioning's
    terms (``d_cond``, ``g_cond``: weighted) if D has them, then one per regularizer."""
    cond = getattr(gan, "conditioning", None)
    terms = list(COND_LOGGED) if cond is not None and cond.has_terms else []
    lo = getattr(gan, "latent_optimization", None)
    if lo is not None:
        terms += ["d_logan", "g_logan"] if lo.discriminator else ["g_logan"]
    return list(LOGGED) + terms + log_names(gan.regularizer_list)


def _scaled_regularizers(phase: Phase, ctx: StepContext, logged: dict):
    total = 0.0
    for log_name, reg in phase.regularizers:
        value = ops.cast(reg(ctx), "float32")
        logged[log_name] = value
        total = total + reg.weight * phase.interval * value
    return total


def _step_network(gan, phase: Phase, loss_fn, variables):
    backend = backends.get()
    (_, aux), grads = backend.value_and_grad(loss_fn, variables)
    if gan.sanitize_gradients and not isinstance(phase.optimizer,
                                                 keras.optimizers.LossScaleOptimizer):
        grads = [g if g is None else ops.nan_to_num(g, nan=0.0, posinf=1e5, neginf=-1e5)
                 for g in grads]
    backend.apply_gradients(phase.optimizer, grads, variables)
    if phase.constraint is not None:
        for v in variables:
            v.assign(phase.constraint(v))
    return aux


def run_discriminator_phase(gan, phase: Phase, real, labels) -> dict:
    """One D update; returns the values to log. A lazy phase makes fakes and logits only
    if a regularizer reads them (``OnDemandStepContext``); latents are drawn either way."""
    z = gan.sample_latent(ops.shape(real)[0])

    def make_fake():
        return ops.stop_gradient(gan.generator_forward(z, labels, training=True))
    replaces = getattr(gan.augment, "replaces_reals", False)
    lo = latent_optimization.for_phase(gan, phase)  # LOGAN: fakes of optimised latents
    fake = make_fake() if (phase.adversarial and lo is None) or replaces else None
    if replaces:  # APA: some of D's reals become this phase's (detached) fakes
        real = gan.augment.replace_reals(real, fake)
        make_fake = lambda: fake  # noqa: E731 (a lazy phase's regularizers reuse them)

    def loss_fn():
        logged: dict = {}
        if not phase.adversarial:
            ctx = OnDemandStepContext(gan, real, labels, make_fake, z)
            total = _scaled_regularizers(phase, ctx, logged)
            return phase.optimizer.scale_loss(total), (logged, None)
        fakes, z_used, lo_cost = (fake, z, None) if lo is None else lo.fakes(
            gan, z, labels, DISCRIMINATOR)
        real_out = gan.discriminate(real, labels, training=True, outputs=True)
        fake_out = gan.discriminate(fakes, labels, training=True, outputs=True)
        real_logits, fake_logits = real_out["logits"], fake_out["logits"]
        cond = gan.conditioning
        if cond is not None and cond.replaces_loss:
            total = cond.discriminator_loss(real_out, fake_out, labels)
        else:
            total = gan.loss_fn.discriminator(real_logits, fake_logits, gan.label_smoothing)
        logged.update(d_loss=total, d_real=ops.mean(real_logits), d_fake=ops.mean(fake_logits))
        if cond is not None and cond.has_terms:
            logged["d_cond"] = ops.cast(cond.discriminator_term(real_out, fake_out, labels),
                                        "float32")
            total = total + logged["d_cond"]
        if lo is not None:
            logged["d_logan"] = lo_cost
            total = total + lo.weight * lo_cost
        ctx = StepContext(gan, real, ops.stop_gradient(fakes), labels, real_logits,
                          fake_logits, z_used)
        total = total + _scaled_regularizers(phase, ctx, logged)
        return phase.optimizer.scale_loss(total), (logged, real_logits)

    logged, real_logits = _step_network(gan, phase, loss_fn,
                                        gan.discriminator.trainable_variables)
    update = getattr(gan.augment, "update", None)
    if phase.adversarial and update is not None:
        update(ops.stop_gradient(real_logits))
    return logged


def run_generator_phase(gan, phase: Phase, real, labels) -> dict:
    """One G update; returns the values to log. A lazy phase (``Greg``) runs G only
    if a regularizer reads the fakes (path length runs its own smaller pass)."""
    z = gan.sample_latent(ops.shape(real)[0])

    def make_fake():
        return gan.generator_forward(z, labels, training=True)
    lo = latent_optimization.for_phase(gan, phase)  # LOGAN: fakes of optimised latents

    def loss_fn():
        logged: dict = {}
        if not phase.adversarial:
            ctx = OnDemandStepContext(gan, real, labels, make_fake, z)
            total = _scaled_regularizers(phase, ctx, logged)
            return phase.optimizer.scale_loss(total), logged
        fake, z_used, lo_cost = (make_fake(), z, None) if lo is None else lo.fakes(
            gan, z, labels, GENERATOR)
        fake_out = gan.discriminate(fake, labels, training=True, outputs=True)
        fake_logits, real_logits = fake_out["logits"], None
        cond = gan.conditioning
        if cond is not None and cond.replaces_loss:
            total = cond.generator_loss(fake_out, labels)
        else:
            if gan.loss_fn.generator_needs_real:
                real_logits = gan.discriminate(real, labels, training=True)
            if gan.topk is None:
                total = gan.loss_fn.generator(fake_logits, real_logits)
            else:  # top-k training: G's loss over the fakes D rates most real
                total = gan.topk.generator_loss(gan, fake_logits, real_logits)
        logged["g_loss"] = total
        if cond is not None and cond.has_terms:
            logged["g_cond"] = ops.cast(cond.generator_term(fake_out, labels), "float32")
            total = total + logged["g_cond"]
        if lo is not None:
            logged["g_logan"] = lo_cost
            total = total + lo.weight * lo_cost
        ctx = StepContext(gan, real, fake, labels, real_logits, fake_logits, z_used)
        total = total + _scaled_regularizers(phase, ctx, logged)
        return phase.optimizer.scale_loss(total), logged

    return _step_network(gan, phase, loss_fn, gan.generator.trainable_variables)

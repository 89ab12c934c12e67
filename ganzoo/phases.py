"""How one train step runs: explicit phases, built when the GAN is compiled.

This is the place to learn what ``GAN.fit`` does with each batch. The design
follows the training loop of NVlabs' stylegan2-ada-pytorch: ``compile`` turns
the loss, regularizers and optimizers into a list of ``Phase`` records, and
the step runs the records in order.

The phases
----------
For each network (D first, then G) there is one main phase and, for
regularizers with ``interval > 1``, one regularization phase::

    Dmain / Dboth   D's adversarial loss (+ every interval-1 D regularizer: "both")
    Dreg            D's lazy regularizers only, every ``interval`` steps
    Gmain / Gboth   G's adversarial loss (+ every interval-1 G regularizer)
    Greg            G's lazy regularizers only

Each record holds its network, its optimizer, what it adds to the loss and
its interval. A phase with interval k runs on steps 0, k, 2k, ... and scales
its regularizers' weights by k, so on average they weigh what they would
every step (lazy regularization, Karras et al. 2020). Because a lazy phase
takes an extra optimizer step, ``compile(lazy_rescale=True)`` rescales that
network's optimizer: lr *= k/(k+1), beta_i **= k/(k+1) (ganzoo.optimizers).
A network whose lazy regularizers have two different intervals gets one
phase per interval (``Dreg2``, ``Dreg4``...).

One step
--------
``run_step`` takes a batch of ``d_steps * m`` real images (and labels):

1. ``gan.prepare_real`` transforms the reals (ProGAN's fade-in blend).
2. For each of the ``d_steps`` consecutive minibatches of m reals, the active
   D phases run in order: fakes are drawn (without gradient to G), D's logits
   are computed for reals and fakes, the phase's loss is differentiated with
   respect to D's trainable weights and D's optimizer steps; then
   ``compile(d_constraint=...)`` (WGAN's weight clipping) is applied to those
   weights, and after the main phase the augmentation's ``update(real_logits)``
   runs, if it has one.
3. The active G phases run on the last minibatch: fresh latents, G's loss
   through D, G's optimizer steps. Regularizers get a ``StepContext`` with
   reals, fakes and labels; D's logits are in it except in ``Greg`` (which
   runs no adversarial loss, so no D).
4. The EMA generator moves towards G (copying it before ``ema_start``), the
   step counter advances and ``gan.on_train_step_end()`` runs (schedules).
5. The logged values (``d_loss``, ``g_loss``, ``d_real``, ``d_fake``, one per
   regularizer, and the augmentation's ``logged_values()`` such as ADA's
   ``augment_p``/``augment_rt``, shown as they are now, not averaged) update
   the GAN's trackers.

Every image D sees goes through ``gan.discriminate(images, labels,
training)``: reals and fakes, in D and G phases, and in the regularizers
(``StepContext.discriminate``). It applies ``compile(augment=...)`` before
``gan.discriminator_forward``, so a differentiable augmentation acts on
everything D sees. Regularizers that take input gradients run D with state
updates discarded; ``GAN.input_gradient`` then advances the augmentation's
stream by the keys drawn inside, so no later call reuses them.

Which phases are active is a trace-time fact: ``GAN.make_train_function``
compiles one function per set of active phase names and picks one per step
from the host-side step count (see ``active_phase_names``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from keras import ops

from ganzoo import backends
from ganzoo.errors import GanzooError
from ganzoo.regularizers import (
    DISCRIMINATOR,
    GENERATOR,
    OnDemandStepContext,
    StepContext,
    log_names,
)


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


def active_phase_names(phases, step: int) -> frozenset | None:
    """Names of the phases that run on ``step``; None when every phase runs every step."""
    if all(p.interval == 1 for p in phases):
        return None
    return frozenset(p.name for p in phases if step % p.interval == 0)


def dispatch_by_active_phases(gan, compile_for):
    """A train function that runs each step with the function compiled for the
    phases active on that step (``compile_for(active) -> function``, one per set).

    Every set's function is made here, before ``fit`` starts: under a
    ``keras.distribution`` Keras reads the variables' layouts to make one,
    which it cannot once ``fit`` holds their values (each traces on first
    use). The active set comes from ``gan.host_step``, the step count kept on
    the host, which ``fit`` sets from ``step_counter``.
    """
    period = math.lcm(*(p.interval for p in gan.step_phases))
    compiled: dict = {}
    for step in range(period):
        active = active_phase_names(gan.step_phases, step)
        if active not in compiled:
            compiled[active] = compile_for(active)

    def dispatch(*args, **kwargs):
        active = active_phase_names(gan.step_phases, gan.host_step)
        gan.active_phases = active
        gan.host_step += 1
        return compiled[active](*args, **kwargs)

    return dispatch


def _scaled_regularizers(phase: Phase, ctx: StepContext, logged: dict):
    total = 0.0
    for log_name, reg in phase.regularizers:
        value = ops.cast(reg(ctx), "float32")
        logged[log_name] = value
        total = total + reg.weight * phase.interval * value
    return total


def _step_network(gan, phase: Phase, loss_fn, variables):
    (_, aux), grads = backends.get().value_and_grad(loss_fn, variables)
    backends.get().apply_gradients(phase.optimizer, grads, variables)
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
    fake = make_fake() if phase.adversarial else None

    def loss_fn():
        logged: dict = {}
        if not phase.adversarial:
            ctx = OnDemandStepContext(gan, real, labels, make_fake)
            total = _scaled_regularizers(phase, ctx, logged)
            return phase.optimizer.scale_loss(total), (logged, None)
        real_logits = gan.discriminate(real, labels, training=True)
        fake_logits = gan.discriminate(fake, labels, training=True)
        total = gan.loss_fn.discriminator(real_logits, fake_logits, gan.label_smoothing)
        logged.update(d_loss=total, d_real=ops.mean(real_logits), d_fake=ops.mean(fake_logits))
        ctx = StepContext(gan, real, fake, labels, real_logits, fake_logits)
        total = total + _scaled_regularizers(phase, ctx, logged)
        return phase.optimizer.scale_loss(total), (logged, real_logits)

    logged, real_logits = _step_network(gan, phase, loss_fn,
                                        gan.discriminator.trainable_variables)
    update = getattr(gan.augment, "update", None)
    if phase.adversarial and update is not None:
        update(ops.stop_gradient(real_logits))
    return logged


def run_generator_phase(gan, phase: Phase, real, labels) -> dict:
    """One G update; returns the values to log."""
    z = gan.sample_latent(ops.shape(real)[0])

    def loss_fn():
        logged: dict = {}
        fake = gan.generator_forward(z, labels, training=True)
        real_logits = fake_logits = None
        total = 0.0
        if phase.adversarial:
            fake_logits = gan.discriminate(fake, labels, training=True)
            if gan.loss_fn.generator_needs_real:
                real_logits = gan.discriminate(real, labels, training=True)
            total = gan.loss_fn.generator(fake_logits, real_logits)
            logged["g_loss"] = total
        ctx = StepContext(gan, real, fake, labels, real_logits, fake_logits)
        total = total + _scaled_regularizers(phase, ctx, logged)
        return phase.optimizer.scale_loss(total), logged

    return _step_network(gan, phase, loss_fn, gan.generator.trainable_variables)


def update_ema(gan) -> None:
    """Move the EMA generator towards G (a copy of G before ``ema_start``)."""
    if gan.ema_generator is None:
        return
    decay = gan.current_ema_decay()
    for w, ema_w in zip(gan.generator.weights, gan.ema_generator.weights, strict=True):
        if w.trainable:
            ema_w.assign(ema_w + (1.0 - decay) * (ops.cast(w, ema_w.dtype) - ema_w))
        else:
            ema_w.assign(w)


def unpack_batch(gan, data):
    """``(images, labels)`` from what ``fit`` passes; labels None if unconditional."""
    x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
    if not gan.num_classes:
        return x, None
    if y is None:
        raise GanzooError("this GAN is class-conditional: fit it on (images, labels)")
    return x, ops.reshape(ops.cast(y, "int32"), (-1,))


def check_fit_inputs(gan, x, y) -> None:
    """Catch missing labels before Keras starts (a failed trace mid-fit
    leaves the JAX trainer's variables unusable)."""
    if not gan.num_classes or y is not None:
        return
    spec = getattr(x, "element_spec", None)
    has_labels = isinstance(spec, tuple) and len(spec) >= 2
    if isinstance(x, np.ndarray) or (spec is not None and not has_labels):
        raise GanzooError("this GAN is class-conditional: fit it on (images, labels)")


def augment_logged_values(gan) -> dict:
    """The augmentation's values to log every step (``augment_p``...), by name."""
    values = getattr(gan.augment, "logged_values", None)
    return values() if values is not None else {}


def run_step(gan, data, active: frozenset | None) -> dict:
    """One train step (written statefully in keras.ops; the backend adapts it).

    ``active`` names the phases to run (None: all of them).
    """
    real, labels = unpack_batch(gan, data)
    real = gan.prepare_real(real)
    runs = [p for p in gan.step_phases if active is None or p.name in active]
    size = ops.shape(real)[0] // gan.d_steps
    logged: dict = {}
    for i in range(gan.d_steps):
        chunk = real[i * size : (i + 1) * size]
        chunk_labels = None if labels is None else labels[i * size : (i + 1) * size]
        for phase in runs:
            if phase.network == DISCRIMINATOR:
                logged.update(run_discriminator_phase(gan, phase, chunk, chunk_labels))
    for phase in runs:
        if phase.network == GENERATOR:
            logged.update(run_generator_phase(gan, phase, chunk, chunk_labels))
    update_ema(gan)
    gan.step_counter.assign_add(1)
    gan.on_train_step_end()
    logged.update(augment_logged_values(gan))
    for tracker in gan.metrics:
        if tracker.name in logged:
            tracker.update_state(logged[tracker.name])
    return {t.name: t.result() for t in gan.metrics}

"""How ``GAN.fit`` runs a train step: the functions it calls, which one per step, what it does.

This is the place to learn what ``fit`` does with each batch; the phases it
runs (Dmain, Dreg, Gmain, Greg...) are in ganzoo.phases.

Which function runs a step
--------------------------
Keras' ``fit`` calls ``model.train_function`` once per step; ``GAN`` has it
made by ``train_function(gan)`` here:

1. Which phases run is a trace-time fact, so there is one compiled function
   per set of phases due together (``ganzoo.phases.due_phase_names``): with
   R1 every 16 steps, one for steps 0, 16, 32... (Dreg runs) and one for the
   others (it does not, and costs nothing). Over one period (the least common
   multiple of the intervals) each step is given its set's function.
2. ``step_function(gan, names)`` makes a new function object for each set:
   JAX caches traces by function object, so one shared function would
   silently run its first set on every step. The backend wraps it in Keras'
   calling convention and compiles it as Keras would its own
   (``keras_train_step``, ``compile_train_function`` in ganzoo.backends);
   that is also where TensorFlow's multi-worker strategy gets its logs in the
   shape it reduces.
3. Every set's function is made before ``fit`` starts: under a
   ``keras.distribution`` making one reads the variables' layouts, which
   ``fit`` takes out of the variables once it holds their values.
4. ``dispatch`` picks the function of the next step from ``gan.host_step``,
   the step count kept on the host (``fit`` sets it from ``gan.step``):
   one list lookup and one increment per step. Without lazy phases there is
   one function and no dispatch at all.

One step
--------
``run_step`` takes a batch of ``d_steps * m`` real images (and labels):

1. ``gan.prepare_real`` transforms the reals (ProGAN's fade-in blend).
2. For each of the ``d_steps`` consecutive minibatches of m reals, the due D
   phases run in order (``ganzoo.phases.run_discriminator_phase``).
3. The due G phases run on the last minibatch: fresh latents, G's loss
   through D, G's optimizer steps. With ``compile(generator_first=True)``
   (StyleGAN2's default, the order of stylegan2-ada-pytorch) they run before
   step 2, on the first minibatch.
4. The EMA generator moves towards G (copying it before ``ema_start``), the
   step counter advances and ``gan.on_train_step_end()`` runs (schedules).
5. The logged values update the GAN's trackers (``make_trackers``): a
   running mean of each name the phases log, and the augmentation's
   ``logged_values()`` (ADA's ``augment_p``/``augment_rt``) shown as they
   are now (``LastValue``).

Every image D sees goes through ``gan.discriminate(images, labels,
training)``: reals and fakes, in D and G phases, and in the regularizers
(``StepContext.discriminate``). It applies ``compile(augment=...)`` before
``gan.discriminator_forward``, so a differentiable augmentation acts on
everything D sees. Regularizers that take input gradients run D with state
updates discarded; ``GAN.input_gradient`` then advances the augmentation's
stream by the keys drawn inside, so no later call reuses them.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from ganzoo import backends
from ganzoo.errors import GanzooError
from ganzoo.phases import (
    due_phase_names,
    logged_names,
    run_discriminator_phase,
    run_generator_phase,
)
from ganzoo.regularizers import DISCRIMINATOR, GENERATOR


def train_function(gan):
    """What ``fit`` calls each step: the function of the phases due on it."""
    backend = backends.get()
    period = math.lcm(*(p.interval for p in gan.step_phases))
    by_names: dict = {}
    schedule = []
    for step in range(period):
        names = due_phase_names(gan.step_phases, step)
        if names not in by_names:
            by_names[names] = backend.compile_train_function(gan, step_function(gan, names))
        schedule.append(by_names[names])
    if period == 1:
        return schedule[0]

    def dispatch(*args, **kwargs):
        function = schedule[gan.host_step % period]
        gan.host_step += 1
        return function(*args, **kwargs)

    return dispatch


def step_function(gan, names: frozenset | None):
    """A new function, in Keras' ``train_step`` convention, running the phases ``names``."""

    def step(data):
        return run_step(gan, data, names)

    return backends.get().keras_train_step(gan, step)


def run_step(gan, data, names: frozenset | None) -> dict:
    """One train step (written statefully in keras.ops; the backend adapts it).

    ``names`` are the phases to run (None: all of them).
    """
    real, labels = unpack_batch(gan, data)
    real = gan.prepare_real(real)
    runs = [p for p in gan.step_phases if names is None or p.name in names]
    size = ops.shape(real)[0] // gan.d_steps
    chunks = [(real[i * size : (i + 1) * size],
               None if labels is None else labels[i * size : (i + 1) * size])
              for i in range(gan.d_steps)]
    g_chunk = chunks[0] if gan.generator_first else chunks[-1]
    logged: dict = {}

    def generator_phases():
        for phase in runs:
            if phase.network == GENERATOR:
                logged.update(run_generator_phase(gan, phase, *g_chunk))

    if gan.generator_first:
        generator_phases()
    for chunk, chunk_labels in chunks:
        for phase in runs:
            if phase.network == DISCRIMINATOR:
                logged.update(run_discriminator_phase(gan, phase, chunk, chunk_labels))
    if not gan.generator_first:
        generator_phases()
    update_ema(gan)
    gan.step_counter.assign_add(1)
    gan.on_train_step_end()
    logged.update(augment_logged_values(gan))
    for tracker in gan.metrics:
        if tracker.name in logged:
            tracker.update_state(logged[tracker.name])
    return {t.name: t.result() for t in gan.metrics}


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
    x = ops.convert_to_tensor(x)  # un-jitted JAX passes NumPy: keep [images, labels] alike
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


# -- what fit's logs show ----------------------------------------------------------
def augment_logged_values(gan) -> dict:
    """The augmentation's values to log every step (``augment_p``...), by name."""
    values = getattr(gan.augment, "logged_values", None)
    return values() if values is not None else {}


def make_trackers(gan) -> list:
    """The metrics behind ``fit``'s logs: a running mean of each name the phases
    log, then the augmentation's values as they are now."""
    return ([keras.metrics.Mean(name=n) for n in logged_names(gan)]
            + [LastValue(name=n) for n in augment_logged_values(gan)])


class LastValue(keras.metrics.Metric):
    """A logged value shown as it is now, not averaged: holds the latest scalar
    passed to ``update_state`` (0 until the first).

    Keras' ``Mean`` would average ADA's ``p`` (or ProGAN's alpha) since the
    start of the epoch; the progress bar, metrics.jsonl and TensorBoard should
    show it as it is now. Give one to ``GAN.add_logged_metric``.
    """

    def __init__(self, name: str, **kwargs):
        super().__init__(name=name, **kwargs)
        self.value = self.add_variable(shape=(), initializer="zeros", dtype="float32",
                                       name="value")

    def update_state(self, value):
        self.value.assign(ops.cast(ops.reshape(value, ()), "float32"))

    def result(self):
        return ops.convert_to_tensor(self.value)

    def reset_state(self):
        # Keras resets metrics at the start of every fit/epoch; what is shown before
        # the first update of an epoch is then 0, never a stale value of another run.
        self.value.assign(0.0)

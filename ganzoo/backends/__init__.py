"""The only backend-specific code in ganzoo, and the only user of Keras-private API.

One module per Keras backend, ``<backend>_backend.py``; ``get()`` returns the
active backend's and every other part of ganzoo (the train step,
ganzoo.distribution, ganzoo.precision) reaches the backend through it. A new
backend is one more module defining these functions:

The train step (ganzoo.phases, ganzoo.step), written once in keras.ops, asks
for gradient mechanics and Keras' calling convention:

- ``value_and_grad(fn, variables)``: runs ``fn() -> (loss, aux)`` and returns
  ``((loss, aux), grads)`` with gradients of ``loss`` w.r.t. ``variables``;
  state updates ``fn`` makes (batch-norm statistics...) are kept.
- ``input_gradient(fn, x)``: the gradient of ``sum(fn(x))`` w.r.t. ``x``,
  itself differentiable (for GP / R1 inside a loss).
- ``apply_gradients(optimizer, grads, variables)``: one optimizer update.
- ``keras_train_step(model, step_fn)``: a new function in the calling
  convention of Keras' ``train_step`` on this backend (stateful on
  TensorFlow, ``(state, data) -> (logs, state)`` on JAX) that runs
  ``step_fn(data) -> logs``, written statefully in keras.ops, and hands its
  logs over in the form the backend's engine reduces (TensorFlow's
  multi-worker strategy: shape ``(1,)``).
- ``compile_train_function(model, train_step)``: what Keras'
  ``make_train_function`` would store in ``model.train_function`` for that
  train step (compiled per ``model.jit_compile`` and ``run_eagerly``).
- ``release_traced_graphs()``: let the backend free what finished traces
  left in its global tables (a process that builds and trains many models,
  such as the test suite, calls it between them).

ganzoo.distribution (one ``Strategy`` per training run):

- ``initialize(coordinator, num_processes, process_id) -> (processes, index)``:
  join a multi-process run.
- ``make_strategy(devices, strategy_class) -> Strategy`` over ``devices``
  local devices (an int or ``"all"``).
- ``enter(strategy) -> token``, ``exit(strategy, token)``, ``current()``:
  the strategy's ``with`` block, and the active strategy.
- ``compile_options(strategy) -> dict``: extra ``GAN.compile`` arguments.
- ``prepare(strategy, gan)``: adjust a compiled or loaded GAN to the strategy.
- ``replica_random(draw, shape, seed)``: ``draw(shape, seed=seed)`` for this
  replica's slice of the global batch.
- ``missing_processes(num_processes) -> list[int]``: processes gone silent
  (empty when the engine cannot tell).

ganzoo.precision:

- ``local_device(device_class)``: the first local device as a
  ``ganzoo.precision.Device``.

Keras internals every backend shares, named for what they do (when Keras
changes, only this package changes), are defined here:

- ``discard_state_updates()``: a context whose variable assignments do not stick.
- ``layers_of(model)``: every layer inside a model, nested ones included.
- ``is_functional(model)``: whether a model is a functional graph network.
- ``copy_model(model)``: a copy of a model's architecture and weights (the EMA).
- ``untrack_layer(owner, layer)``: stop ``owner`` tracking a sub-layer it held.
"""

from __future__ import annotations

import contextlib
import importlib
from types import ModuleType

import keras

from ganzoo.backends.scopes import current_state_mapping, scope_with
from ganzoo.errors import GanzooError

SUPPORTED = ("tensorflow", "jax", "torch")


def get() -> ModuleType:
    """The backend module of the active Keras backend (the functions listed above)."""
    name = keras.backend.backend()
    if name not in SUPPORTED:
        raise GanzooError(
            f"Keras backend '{name}' is not supported by ganzoo; "
            f"set KERAS_BACKEND to one of: {', '.join(SUPPORTED)}"
        )
    return importlib.import_module(f"ganzoo.backends.{name}_backend")


@contextlib.contextmanager
def discard_state_updates():
    """Run code whose variable assignments (BN statistics...) must not stick.

    Reads still see the values assigned so far in an enclosing stateless scope
    (JAX's train step), so the code runs on the step's current state.
    """
    outer = current_state_mapping()
    with scope_with(dict(outer) if outer is not None else {}):
        yield


def layers_of(model: keras.layers.Layer) -> list:
    """Every layer inside ``model`` (nested ones included), ``model`` first."""
    return list(model._flatten_layers())


def is_functional(model: keras.Model) -> bool:
    """Whether ``model`` is a functional (graph) network, which clone_model can copy."""
    return bool(getattr(model, "_is_graph_network", False))


def copy_model(model: keras.Model) -> keras.Model:
    """A new model of the same architecture holding a copy of ``model``'s weights."""
    if isinstance(model, keras.Sequential) or is_functional(model):
        clone = keras.models.clone_model(model)
    else:
        clone = model.__class__.from_config(model.get_config())
        clone.build_from_config(model.get_build_config() or {})
    clone.set_weights(model.get_weights())
    return clone


def untrack_layer(owner: keras.layers.Layer, layer: keras.layers.Layer) -> None:
    """Stop ``owner`` tracking ``layer`` (Keras never untracks a replaced attribute)."""
    if layer in owner._layers:
        owner._layers.remove(layer)

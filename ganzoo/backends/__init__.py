"""The only backend-specific code in ganzoo, and the only user of Keras-private API.

Gradient mechanics, one module per backend (``get()`` returns it):

- ``value_and_grad(fn, variables)``: runs ``fn() -> (loss, aux)`` and returns
  ``((loss, aux), grads)`` with gradients of ``loss`` w.r.t. ``variables``;
  state updates ``fn`` makes (batch-norm statistics...) are kept.
- ``input_gradient(fn, x)``: the gradient of ``sum(fn(x))`` w.r.t. ``x``,
  itself differentiable (for GP / R1 inside a loss).
- ``apply_gradients(optimizer, grads, variables)``: one optimizer update.
- ``run_train_step(model, args, step_fn)``: adapts Keras' train-step calling
  convention (stateful on TensorFlow, ``(state, data)`` on JAX) to
  ``step_fn(data) -> logs`` written statefully in keras.ops.

Keras internals, named for what they do (when Keras changes, only this
package changes):

- ``discard_state_updates()``: a context whose variable assignments do not stick.
- ``layers_of(model)``: every layer inside a model, nested ones included.
- ``is_functional(model)``: whether a model is a functional graph network.
- ``copy_model(model)``: a copy of a model's architecture and weights (the EMA).
- ``untrack_layer(owner, layer)``: stop ``owner`` tracking a sub-layer it held.

The train step itself (ganzoo.phases) is written once, in keras.ops.
"""

from __future__ import annotations

import contextlib
import importlib
from types import ModuleType

import keras

from ganzoo.backends.scopes import current_state_mapping, scope_with
from ganzoo.errors import GanzooError

SUPPORTED = ("tensorflow", "jax")


def get() -> ModuleType:
    """The module for the active Keras backend."""
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

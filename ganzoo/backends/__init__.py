"""The only backend-specific code in ganzoo: gradient mechanics per backend.

Each backend module provides:

- ``value_and_grad(fn, variables)``: runs ``fn() -> (loss, aux)`` and returns
  ``((loss, aux), grads)`` with gradients of ``loss`` w.r.t. ``variables``;
  state updates ``fn`` makes (batch-norm statistics...) are kept.
- ``input_gradient(fn, x)``: the gradient of ``sum(fn(x))`` w.r.t. ``x``,
  itself differentiable (for GP / R1 inside a loss).
- ``apply_gradients(optimizer, grads, variables)``: one optimizer update.
- ``run_train_step(model, args, step_fn)``: adapts Keras' train-step calling
  convention (stateful on TensorFlow, ``(state, data)`` on JAX) to
  ``step_fn(data) -> logs`` written statefully in keras.ops.

The train step itself lives in ``ganzoo.gan`` and is written once.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import keras

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

"""JAX gradient mechanics.

Keras' JAX trainer calls ``train_step(state, data)`` with every variable's
value passed in and expects the new values back. ganzoo runs the (stateful)
step inside a ``keras.StatelessScope`` that maps every variable to its value
in ``state``; reads see the traced values and assignments are recorded, then
collected into the new state. ``value_and_grad`` re-maps the differentiated
variables to JAX's traced arguments in a nested scope and hands the state
updates made inside it back out as auxiliary outputs.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ganzoo.backends.scopes import current_state_mapping, scope_with


def _current(variable, base: dict):
    value = base.get(id(variable))
    return variable.value if value is None else value


def value_and_grad(fn, variables):
    outer = current_state_mapping()
    base = dict(outer) if outer is not None else {}
    diff_ids = {id(v) for v in variables}

    def pure(values):
        mapping = dict(base)
        mapping.update({id(v): x for v, x in zip(variables, values, strict=True)})
        with scope_with(mapping):
            loss, aux = fn()
        updates = {
            k: x
            for k, x in mapping.items()
            if k not in diff_ids and base.get(k) is not x
        }
        return loss, (aux, updates)

    values = [_current(v, base) for v in variables]
    (loss, (aux, updates)), grads = jax.value_and_grad(pure, has_aux=True)(values)
    if outer is not None:
        outer.update(updates)
    return (loss, aux), grads


def input_gradient(fn, x):
    return jax.grad(lambda x_: jnp.sum(fn(x_).astype("float32")))(x)


def run_train_step(model, args, step_fn):
    state, data = args
    groups = (
        model.trainable_variables,
        model.non_trainable_variables,
        model.optimizer.variables,
        model.metrics_variables,
    )
    mapping = {}
    for variables, values in zip(groups, state, strict=True):
        for v, x in zip(variables, values, strict=True):
            mapping[id(v)] = x
    with scope_with(mapping):
        logs = step_fn(data)
    new_state = tuple([mapping[id(v)] for v in variables] for variables in groups)
    return logs, new_state


def apply_gradients(optimizer, grads, variables):
    """The optimizer's own stateless update, written back into the step's scope.

    ``optimizer.apply`` would also work for plain optimizers, but the
    loss-scale optimizer branches with ``cond``, which only its stateless
    version supports under JAX.
    """
    mapping = current_state_mapping()
    opt_values = [_current(v, mapping) for v in optimizer.variables]
    var_values = [_current(v, mapping) for v in variables]
    new_vars, new_opt = optimizer.stateless_apply(opt_values, grads, var_values)
    for v, x in zip(variables, new_vars, strict=True):
        mapping[id(v)] = x
    for v, x in zip(optimizer.variables, new_opt, strict=True):
        mapping[id(v)] = x

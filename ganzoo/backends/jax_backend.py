"""The JAX backend: a stateless train step, keras.distribution.DataParallel.

Keras' JAX trainer calls ``train_step(state, data)`` with every variable's
value passed in and expects the new values back. ganzoo runs the (stateful)
step inside a ``keras.StatelessScope`` that maps every variable to its value
in ``state``; reads see the traced values and assignments are recorded, then
collected into the new state. ``value_and_grad`` re-maps the differentiated
variables to JAX's traced arguments in a nested scope and hands the state
updates made inside it back out as auxiliary outputs. ganzoo.distribution's
engine is ``keras.distribution.DataParallel`` over JAX's devices. The
functions a backend module provides are listed in ganzoo.backends.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import keras

from ganzoo.backends.scopes import current_state_mapping, scope_with
from ganzoo.errors import DistributionError

_active: list = []


# -- the train step --------------------------------------------------------------
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


def keras_train_step(model, step_fn):
    """``train_step(state, data) -> (logs, state)``, Keras' JAX calling convention,
    running the stateful ``step_fn`` on the values in ``state``."""

    def train_step(state, data):
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

    return train_step


def compile_train_function(model, train_step):
    """What Keras' ``make_train_function`` stores for ``train_step``: jitted (per
    ``model.jit_compile``) with the state donated and, under a
    ``keras.distribution``, laid out as the variables are. The layouts are
    read from the variables' values, which ``fit`` takes out of them once it
    starts: call this before."""
    if not model.run_eagerly and model.jit_compile:
        out_shardings = None
        if keras.distribution.distribution() is not None:
            out_shardings = (None, model._get_state_sharding_spec())
        train_step = jax.jit(train_step, donate_argnums=0, out_shardings=out_shardings)
    return model._make_function(train_step)


def release_traced_graphs() -> None:
    """Let the traces of finished functions be freed (JAX keeps them in its caches)."""
    jax.clear_caches()


# -- distribution (ganzoo.distribution) ------------------------------------------
def initialize(coordinator, num_processes, process_id):
    from jax._src import distributed

    # Asking jax.process_count() here would start JAX's backend, after which
    # jax.distributed.initialize refuses to run; the client says "joined".
    if distributed.global_state.client is not None:
        return jax.process_count(), jax.process_index()
    try:
        keras.distribution.initialize(coordinator, num_processes, process_id)
    except Exception as exc:  # noqa: BLE001 - JAX raises several runtime error types
        where = coordinator or "the address in KERAS_DISTRIBUTION_JOB_ADDRESSES"
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DistributionError(
            f"could not join the multi-process run at {where}: {first}") from None
    return jax.process_count(), jax.process_index()


def make_strategy(devices, strategy_class):
    local = jax.local_devices()
    count = len(local) if devices == "all" else devices
    if count > len(local):
        raise DistributionError(f"--devices {count} asks for more devices than the {len(local)} "
                                f"{local[0].platform.upper()} device(s) this process sees; use "
                                f"--devices {len(local)} or 'all'")
    return strategy_class(devices=count, num_processes=jax.process_count(),
                          process_id=jax.process_index(), device_kind=local[0].platform)


def _mesh_devices(strategy) -> list:
    """The first ``devices`` local devices of every process, in process order."""
    chosen = []
    for process in range(jax.process_count()):
        mine = [d for d in jax.devices() if d.process_index == process]
        chosen += mine[: strategy.devices]
    return [f"{d.platform}:{d.id}" for d in chosen]


def enter(strategy):
    previous = keras.distribution.distribution()
    if strategy.distributed:
        keras.distribution.set_distribution(
            keras.distribution.DataParallel(devices=_mesh_devices(strategy)))
    _active.append(strategy)
    return previous


def exit(strategy, previous):
    _active.remove(strategy)
    keras.distribution.set_distribution(previous)


def current():
    return _active[-1] if _active else None


def compile_options(strategy) -> dict:
    return {}


def replica_random(draw, shape, seed):
    """``draw(shape, seed=seed)``: under DataParallel the step is traced over the
    global batch, so the draw already is the whole batch's."""
    return draw(shape, seed=seed)


def missing_processes(num_processes: int) -> list[int]:
    """Processes the coordination service no longer sees (empty if it cannot tell)."""
    try:
        from jax._src import distributed

        live = distributed.global_state.client.get_live_nodes(list(range(num_processes)))
        return sorted(set(range(num_processes)) - set(live))
    except Exception:  # noqa: BLE001 - the coordinator itself may be gone
        return []


def prepare(strategy, gan) -> None:
    """Nothing to adjust: DataParallel lays out variables when they are created."""


def local_device(device_class):
    """The first local JAX device as a ``ganzoo.precision.Device``."""
    first = jax.local_devices()[0]
    kind = {"cuda": "gpu", "rocm": "gpu"}.get(first.platform, first.platform)
    capability = getattr(first, "compute_capability", None)  # "9.0" on NVIDIA GPUs
    if isinstance(capability, str) and "." in capability:
        major, minor = capability.split(".")[:2]
        capability = (int(major), int(minor))
    else:
        capability = None
    return device_class(kind=kind, compute_capability=capability,
                        name=getattr(first, "device_kind", ""))

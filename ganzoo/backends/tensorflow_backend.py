"""The TensorFlow backend: gradients with GradientTape, tf.distribute strategies.

The train step runs statefully inside the ``tf.function`` Keras makes;
``value_and_grad`` is a ``GradientTape`` and ``input_gradient`` a nested one.
ganzoo.distribution's engine is ``tf.distribute``: ``MirroredStrategy`` on
one host, ``MultiWorkerMirroredStrategy`` when ``TF_CONFIG`` names several
workers. The functions a backend module provides are listed in
ganzoo.backends.
"""

from __future__ import annotations

import json
import os

import keras
import tensorflow as tf
from keras import ops

from ganzoo.errors import DistributionError

_active: list = []
_multi_worker: list = []  # one MultiWorkerMirroredStrategy per process (TF allows one)
# One MirroredStrategy per device set, reused by every run in this process: the
# collectives of a second strategy over the same devices clash with the first's
# ("Shape mismatch in the collective instance"), e.g. two `train` calls in a row.
_mirrored: dict = {}


# -- the train step --------------------------------------------------------------
def value_and_grad(fn, variables):
    with tf.GradientTape() as tape:
        loss, aux = fn()
        # Under tf.distribute the optimizer sums gradients over replicas, so
        # each replica's mean loss is scaled by 1/replicas (as Keras' own step).
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        scaled = loss / replicas if replicas > 1 else loss
    grads = tape.gradient(scaled, variables)
    # A variable that does not reach the loss gets a zero gradient, as on JAX.
    grads = [ops.zeros_like(v) if g is None else g for g, v in zip(grads, variables, strict=True)]
    return (loss, aux), grads


def input_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.cast(fn(x), "float32"))
    return tape.gradient(y, x)


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def keras_train_step(model, step_fn):
    """``train_step(data) -> logs``: Keras' TensorFlow trainer runs the step statefully."""

    def train_step(data):
        return _logs_for_reduction(step_fn(data))

    return train_step


def _logs_for_reduction(logs: dict) -> dict:
    """The step's logs as the enclosing strategy can reduce them.

    Under MultiWorkerMirroredStrategy Keras reduces each step's logs with
    ``strategy.reduce("MEAN", value, axis=0)``, which fails on scalars
    ("Invalid reduction dimension 0 for input with 0 dimensions"); a
    one-element vector reduces to the same mean over all replicas. Decided
    when the step is traced, inside the strategy's replica context.
    """
    if not _multi_worker or tf.distribute.get_strategy() is not _multi_worker[0]:
        return logs
    return {k: tf.reshape(v, (1,)) if tf.is_tensor(v) and v.shape.rank == 0 else v
            for k, v in logs.items()}


def compile_train_function(model, train_step):
    """What Keras' ``make_train_function`` stores for ``train_step``: a
    ``tf.function`` (XLA per ``model.jit_compile``) run by ``model``'s strategy."""
    return model._make_function(train_step)


def release_traced_graphs() -> None:
    """Let the graphs of finished traces be freed.

    Each trace of a train step registers a ``tf.custom_gradient`` function (the
    optimizer's cross-replica sum) in TensorFlow's global gradient registry,
    which never drops it, so the whole traced graph stays alive. Call this
    only when no traced function will be differentiated again.
    """
    from tensorflow.python.framework import ops as tf_ops

    table = tf_ops._gradient_registry._registry
    for name in [n for n in table if n.startswith("CustomGradient-")]:
        del table[name]


# -- distribution (ganzoo.distribution) ------------------------------------------
def _cluster() -> tuple[int, int]:
    config = json.loads(os.environ.get("TF_CONFIG") or "{}")
    workers = config.get("cluster", {}).get("worker", [])
    task = config.get("task", {})
    return max(1, len(workers)), int(task.get("index", 0))


def initialize(coordinator, num_processes, process_id):
    if coordinator is not None:
        raise DistributionError("on TensorFlow the cluster comes from TF_CONFIG, not "
                                "--coordinator; set TF_CONFIG on every worker (see docs/scaling.md)")
    workers, index = _cluster()
    if workers > 1:
        _multi_worker_strategy()
    return workers, index


def _multi_worker_strategy():
    """This process's MultiWorkerMirroredStrategy, made on first use.

    TensorFlow configures its collectives only before its runtime starts
    ("must be configured at program startup"), so this runs before anything
    lists devices.
    """
    if not _multi_worker:
        _multi_worker.append(tf.distribute.MultiWorkerMirroredStrategy())
    return _multi_worker[0]


def _local_devices(kind: str) -> list[str]:
    return [d.name for d in tf.config.list_logical_devices(kind)]


def make_strategy(devices, strategy_class):
    workers, index = _cluster()
    engine = _multi_worker_strategy() if workers > 1 else None  # before the runtime starts
    gpus = _local_devices("GPU")
    kind, local = ("gpu", gpus) if gpus else ("cpu", _local_devices("CPU"))
    if engine is not None:  # the runtime then also lists the worker's job devices: ask MWMS
        local = list(engine.extended.worker_devices)
    count = len(local) if devices == "all" else devices
    if count > len(local):
        raise DistributionError(f"--devices {count} asks for more devices than the {len(local)} "
                                f"{kind.upper()} device(s) TensorFlow sees; use --devices "
                                f"{len(local)} or 'all'")
    strategy = strategy_class(devices=count, num_processes=workers, process_id=index,
                              device_kind=kind)
    if engine is not None:
        if engine.num_replicas_in_sync != strategy.replicas:
            raise DistributionError(f"TF_CONFIG's cluster has {engine.num_replicas_in_sync} "
                                    f"devices in all, not {strategy.replicas}; give every "
                                    "worker the same --devices")
    elif count > 1:
        devices = tuple(local[:count])
        engine = _mirrored.get(devices) or _mirrored.setdefault(
            devices, tf.distribute.MirroredStrategy(list(devices)))
    else:
        engine = tf.distribute.get_strategy()  # the default: one device, as without ganzoo
    strategy._engine = engine
    return strategy


def enter(strategy):
    scope = strategy._engine.scope()
    scope.__enter__()
    _active.append(strategy)
    return scope


def exit(strategy, scope):
    _active.remove(strategy)
    scope.__exit__(None, None, None)


def current():
    return _active[-1] if _active else None


def compile_options(strategy) -> dict:
    return {"jit_compile": False}  # XLA cannot place mirrored variables


def replica_random(draw, shape, seed):
    context = tf.distribute.get_replica_context()
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if context is None or replicas == 1:
        return draw(shape, seed=seed)
    n = shape[0]
    full = draw((n * replicas, *shape[1:]), seed=seed)
    start = context.replica_id_in_sync_group * n
    return full[start : start + n]


def missing_processes(num_processes: int) -> list[int]:
    return []  # tf.distribute has no liveness query; the message says so


def prepare(strategy, gan) -> None:
    if strategy.distributed:
        gan.jit_compile = False  # also for a model loaded from a checkpoint
        synchronize_batch_norm(gan)


def synchronize_batch_norm(model) -> int:
    """Makes every BatchNormalization in ``model`` use the global batch's statistics.

    tf.distribute computes batch moments per replica by default; Keras'
    ``synchronized`` option all-reduces them, which gives the one-device
    numbers (JAX's DataParallel already does). It is a property of the run,
    not of the model: the saved config keeps ``synchronized=False``, so a
    checkpoint loads anywhere (JAX refuses ``synchronized=True``) and
    ``prepare`` sets it again on every load. Returns the layers changed.
    """
    changed = 0
    for layer in model._flatten_layers(include_self=True, recursive=True):
        if isinstance(layer, keras.layers.BatchNormalization) and not layer.synchronized:
            layer.synchronized = True
            layer.get_config = _unsynchronized_config(layer.get_config)
            changed += 1
    return changed


def _unsynchronized_config(get_config):
    def config():
        return {**get_config(), "synchronized": False}

    return config


def local_device(device_class):
    """The first local TensorFlow device (GPU or TPU before CPU) as a ``ganzoo.precision.Device``."""
    for kind in ("TPU", "GPU"):
        found = tf.config.list_physical_devices(kind)
        if found:
            details = tf.config.experimental.get_device_details(found[0]) if kind == "GPU" else {}
            return device_class(kind=kind.lower(),
                                compute_capability=details.get("compute_capability"),
                                name=details.get("device_name", ""))
    return device_class(kind="cpu")

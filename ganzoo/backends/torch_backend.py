"""The PyTorch backend: gradients with torch.autograd, one device.

Keras' torch trainer runs a train step eagerly and statefully: variables
hold ``torch.nn.Parameter`` values, and every operation on them is recorded
by autograd. ``value_and_grad`` runs the loss and asks ``torch.autograd.grad``
for the gradients of the differentiated variables only (the other network's
parameters are left alone, no ``.grad`` is accumulated); ``input_gradient``
asks it for the gradient w.r.t. the input with ``create_graph=True``, so the
gradient is itself differentiable (R1, GP, path length). Optimizer updates,
the EMA and constraints assign without recording (Keras assigns under
``torch.no_grad``). State updates of regularizer passes are discarded by
ganzoo.backends' ``discard_state_updates`` as on the other backends.

The step is not given to ``torch.compile``: double backward
(``create_graph=True``) is not traceable by TorchDynamo, and the step of
each set of phases is a Python function anyway. ``compile(jit_compile=...)``
is then accepted and has no effect on this backend.

There is no ganzoo.distribution engine on this backend: a run uses one
device (Keras' torch device: CUDA if available, else CPU); asking for more
is one clear error naming the backends that have one. The functions a
backend module provides are listed in ganzoo.backends.
"""

from __future__ import annotations

import torch
from keras import ops

from ganzoo.errors import DistributionError

_active: list = []

NO_DISTRIBUTION = ("the PyTorch backend trains on one device; for {what} use "
                   "--backend jax or --backend tensorflow")


# -- the train step --------------------------------------------------------------
def _tensor(variable):
    return variable.value


def value_and_grad(fn, variables):
    with torch.enable_grad():
        loss, aux = fn()
        params = [_tensor(v) for v in variables]
        wanted = [i for i, p in enumerate(params) if p.requires_grad]
        found = torch.autograd.grad(loss, [params[i] for i in wanted], allow_unused=True) \
            if wanted and loss.requires_grad else [None] * len(wanted)
    grads = [None] * len(params)
    for i, g in zip(wanted, found, strict=True):
        grads[i] = g
    # A variable that does not reach the loss gets a zero gradient, as on JAX.
    grads = [torch.zeros_like(p) if g is None else g for g, p in zip(grads, params, strict=True)]
    return (loss, aux), grads


def input_gradient(fn, x):
    with torch.enable_grad():
        # x may depend on weights (a G phase's fakes, path length's ws): keep that
        # dependence; a constant input becomes a leaf that autograd can differentiate for.
        leaf = x if x.requires_grad else x.detach().requires_grad_(True)
        y = ops.sum(ops.cast(fn(leaf), "float32"))
        if not y.requires_grad:  # fn does not depend on x
            return torch.zeros_like(leaf)
        (grad,) = torch.autograd.grad(y, leaf, create_graph=True, allow_unused=True)
    return torch.zeros_like(leaf) if grad is None else grad


def apply_gradients(optimizer, grads, variables):
    with torch.no_grad():
        optimizer.apply(grads, variables)


def keras_train_step(model, step_fn):
    """``train_step(data) -> logs``: Keras' torch trainer runs the step statefully."""

    def train_step(data):
        return step_fn(data)

    return train_step


def compile_train_function(model, train_step):
    """What Keras' torch ``make_train_function`` stores: a function of the list of
    ``steps_per_execution`` (always 1 on torch) batches, run eagerly (see above)."""

    def one_step_on_data(data):
        return train_step(data[0])

    return one_step_on_data


def release_traced_graphs() -> None:
    """Nothing is traced: the step runs eagerly and autograd frees each step's graph."""


# -- distribution (ganzoo.distribution) ------------------------------------------
def initialize(coordinator, num_processes, process_id):
    if (num_processes or 1) > 1 or coordinator is not None:
        raise DistributionError(NO_DISTRIBUTION.format(what="a multi-process run"))
    return 1, 0


def _device_kind() -> str:
    from keras.src.backend.torch.core import get_device

    kind = str(get_device()).split(":")[0]
    return {"cuda": "gpu"}.get(kind, kind)


def make_strategy(devices, strategy_class):
    if devices != 1 and not (devices == "all" and _local_device_count() == 1):
        raise DistributionError(NO_DISTRIBUTION.format(what=f"--devices {devices}"))
    return strategy_class(devices=1, num_processes=1, process_id=0, device_kind=_device_kind())


def _local_device_count() -> int:
    return torch.cuda.device_count() if _device_kind() == "gpu" else 1


def enter(strategy):
    _active.append(strategy)
    return None


def exit(strategy, token):
    _active.remove(strategy)


def current():
    return _active[-1] if _active else None


def compile_options(strategy) -> dict:
    return {}


def replica_random(draw, shape, seed):
    return draw(shape, seed=seed)


def missing_processes(num_processes: int) -> list[int]:
    return []


def prepare(strategy, gan) -> None:
    """Nothing to adjust: one device."""


def local_device(device_class):
    """Keras' torch device as a ``ganzoo.precision.Device``."""
    kind = _device_kind()
    if kind == "gpu":
        index = torch.cuda.current_device()
        return device_class(kind="gpu", compute_capability=tuple(torch.cuda.get_device_capability(index)),
                            name=torch.cuda.get_device_name(index))
    return device_class(kind=kind)

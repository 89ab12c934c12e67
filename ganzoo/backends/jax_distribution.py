"""JAX side of ganzoo.distribution: keras.distribution.DataParallel over JAX devices."""

from __future__ import annotations

import jax
import keras

from ganzoo.errors import GanzooError

_active: list = []


def _error(message: str) -> GanzooError:
    from ganzoo.errors import DistributionError

    return DistributionError(message)


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
        raise _error(f"could not join the multi-process run at {where}: {first}") from None
    return jax.process_count(), jax.process_index()


def make_strategy(devices, strategy_class):
    local = jax.local_devices()
    count = len(local) if devices == "all" else devices
    if count > len(local):
        raise _error(f"--devices {count} asks for more devices than the {len(local)} "
                     f"{local[0].platform.upper()} device(s) this process sees; use --devices "
                     f"{len(local)} or 'all'")
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

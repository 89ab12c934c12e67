"""Train one GAN on several devices and hosts with Keras' and TensorFlow's own engines.

``strategy(devices)`` returns a :class:`Strategy`; build, compile and fit a
GAN inside ``with strategy:``. On JAX it sets a ``keras.distribution.DataParallel``
over the chosen devices; on TensorFlow it enters a ``tf.distribute``
strategy's scope (``MirroredStrategy`` on one host, ``MultiWorkerMirroredStrategy``
when ``TF_CONFIG`` names several workers). The batch given to ``fit`` is the
global batch: each step splits it evenly over all devices of all processes.
ganzoo adds no distribution machinery of its own.
"""

from __future__ import annotations

import dataclasses
import os

import keras

from ganzoo import backends
from ganzoo.errors import DistributionError


def parse_devices(devices) -> int | str:
    """``None``/``1`` -> 1, ``"all"`` -> ``"all"``, ``"4"``/``4`` -> 4; else one clear error."""
    if devices is None:
        return 1
    if isinstance(devices, str):
        if devices.strip().lower() == "all":
            return "all"
        if not devices.strip().isdigit():
            raise DistributionError(f"--devices must be a positive number or 'all', got '{devices}'")
        devices = int(devices)
    if isinstance(devices, bool) or not isinstance(devices, int) or devices < 1:
        raise DistributionError(f"--devices must be a positive number or 'all', got {devices!r}")
    return devices


@dataclasses.dataclass
class Strategy:
    """Where one training run's steps execute.

    Attributes:
        devices: devices used by this process.
        num_processes: processes (hosts) taking part; 1 on one host.
        process_id: this process's index; 0 writes the run directory.
        device_kind: ``"cpu"``, ``"gpu"`` or ``"tpu"``.
    """

    devices: int
    num_processes: int = 1
    process_id: int = 0
    device_kind: str = "cpu"
    _engine: object = dataclasses.field(default=None, repr=False)
    _previous: object = dataclasses.field(default=None, repr=False)

    @property
    def replicas(self) -> int:
        """Devices over all processes: the number of slices of a global batch."""
        return self.devices * self.num_processes

    @property
    def is_chief(self) -> bool:
        """True on the process that writes checkpoints, sample grids and logs."""
        return self.process_id == 0

    @property
    def distributed(self) -> bool:
        return self.replicas > 1

    def per_device_batch(self, global_batch: int, what: str = "--batch-size") -> int:
        """The slice of ``global_batch`` each device gets; uneven -> one clear error."""
        if global_batch % self.replicas:
            lower = global_batch - global_batch % self.replicas
            raise DistributionError(
                f"{what} {global_batch} does not split evenly over {self.replicas} devices "
                f"({self.devices} per process x {self.num_processes} processes); use a multiple "
                f"of {self.replicas} (e.g. {lower or self.replicas}) or another --devices"
            )
        return global_batch // self.replicas

    def compile_options(self) -> dict:
        """Extra ``GAN.compile`` arguments the engine needs (TF: no XLA on mirrored variables)."""
        return backends.get().compile_options(self) if self.distributed else {}

    def prepare(self, gan) -> None:
        """Adjust a compiled or loaded GAN to this strategy (TF: no XLA when distributed)."""
        backends.get().prepare(self, gan)

    def __enter__(self) -> Strategy:
        self._previous = backends.get().enter(self)
        return self

    def __exit__(self, *exc) -> None:
        backends.get().exit(self, self._previous)
        self._previous = None

    def describe(self) -> dict:
        """What the run's config.yaml records."""
        return {"devices": self.devices, "num_processes": self.num_processes,
                "replicas": self.replicas, "device_kind": self.device_kind}


def initialize_multi_host(coordinator: str | None = None, num_processes: int | None = None,
                          process_id: int | None = None) -> tuple[int, int]:
    """Join a multi-process run; returns ``(num_processes, process_id)``.

    JAX: ``keras.distribution.initialize`` (arguments, or its environment
    variables ``KERAS_DISTRIBUTION_JOB_ADDRESSES``, ``..._NUM_PROCESSES``,
    ``..._PROCESS_ID``). TensorFlow: the cluster comes from ``TF_CONFIG``.
    Call it once, before any other computation.
    """
    given = [coordinator is not None, num_processes is not None, process_id is not None]
    if any(given) and not all(given):
        raise DistributionError("give --coordinator HOST:PORT, --num-processes N and "
                                "--process-id I together (or none of them)")
    if num_processes is not None:
        if num_processes < 1 or not 0 <= process_id < num_processes:
            raise DistributionError(f"--process-id {process_id} must be in 0..{num_processes - 1} "
                                    f"for --num-processes {num_processes}")
    return backends.get().initialize(coordinator, num_processes, process_id)


def multi_host_requested() -> bool:
    """True when the environment asks for a multi-process run."""
    if os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES", "1") not in ("", "1"):
        return True
    return bool(os.environ.get("TF_CONFIG")) and keras.backend.backend() == "tensorflow"


def strategy(devices: int | str | None = "all") -> Strategy:
    """A :class:`Strategy` over ``devices`` local devices (``"all"``: every one).

    Use it as a context manager around building, compiling (with
    ``**s.compile_options()``) and fitting a GAN::

        with ganzoo.distribution.strategy(4) as s:
            gan = ganzoo.build("dcgan", image_size=32, batch_size=64)
            gan.compile(**s.compile_options())
            gan.fit(dataset)   # batches of 64: 16 per device
    """
    return backends.get().make_strategy(parse_devices(devices), Strategy)


def current() -> Strategy | None:
    """The strategy whose ``with`` block is active, if any."""
    return backends.get().current()


def replica_random(draw, shape, seed):
    """``draw(shape, seed=seed)`` for this device's slice of a global batch.

    On TensorFlow every mirrored replica shares the random stream's state, so
    each draws the whole batch's numbers and keeps its own slice (the latents
    then match a one-device run). On JAX the step sees the global batch: the
    same as ``draw``.
    """
    return backends.get().replica_random(draw, shape, seed)


def missing_processes(num_processes: int, wait: float = 5.0) -> list[int]:
    """Processes the engine reports gone, asked for at most ``wait`` s (the query can block)."""
    import threading

    found: list = []
    thread = threading.Thread(target=lambda: found.extend(backends.get().missing_processes(num_processes)),
                              daemon=True)
    thread.start()
    thread.join(wait)
    return sorted(found) if not thread.is_alive() else []


MULTI_HOST_STEP_TIMEOUT = 300.0  # seconds; default bound on one step when several processes run


def from_cli(devices: str | None, coordinator: str | None = None, num_processes: int | None = None,
             process_id: int | None = None, step_timeout: float | None = None):
    """``ganzoo train``'s options -> ``(devices, step_timeout)`` for ``training.train``.

    Joins a multi-process run first when one is asked for (options or
    environment); there every process uses all its devices unless told, and
    a step is bounded by ``MULTI_HOST_STEP_TIMEOUT`` unless told.
    """
    parsed = parse_devices(devices) if devices is not None else None
    if num_processes is not None or coordinator is not None or multi_host_requested():
        processes, _ = initialize_multi_host(coordinator, num_processes, process_id)
        if processes > 1:
            parsed = "all" if parsed is None else parsed
            step_timeout = MULTI_HOST_STEP_TIMEOUT if step_timeout is None else step_timeout
    return parsed or 1, step_timeout

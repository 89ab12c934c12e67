"""Which numeric precision a run trains in: ``auto`` picks bf16 where the device has it.

``auto`` (the default of ``ganzoo train``) resolves to ``bf16``
(Keras' ``mixed_bfloat16``: bfloat16 compute, float32 weights) on a TPU or
an NVIDIA GPU of compute capability 8.0 or newer (A100, H100, RTX 30xx...),
where bfloat16 matrix units make it fast, and to ``fp32`` everywhere else:
CPUs and older GPUs gain nothing from it. The run's config records the
resolved name, so a resumed run keeps its precision on any machine.
"""

from __future__ import annotations

import dataclasses

import keras

from ganzoo import backends
from ganzoo.errors import GanzooError

POLICIES = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}
CHOICES = ("auto", *POLICIES)
BF16_MIN_COMPUTE_CAPABILITY = (8, 0)  # NVIDIA Ampere: the first GPUs with bf16 tensor cores


@dataclasses.dataclass(frozen=True)
class Device:
    """What ``auto`` looks at: the kind of the first device and, on GPUs, its compute capability."""

    kind: str  # "cpu", "gpu" or "tpu"
    compute_capability: tuple[int, int] | None = None
    name: str = ""


def choose(device: Device) -> str:
    """``"bf16"`` where ``device`` computes bfloat16 natively, else ``"fp32"``."""
    if device.kind == "tpu":
        return "bf16"
    if device.kind == "gpu" and device.compute_capability is not None:
        return "bf16" if tuple(device.compute_capability) >= BF16_MIN_COMPUTE_CAPABILITY else "fp32"
    return "fp32"


def local_device() -> Device:
    """The first local device of the active Keras backend."""
    return backends.get().local_device(Device)


def resolve(precision: str, device: Device | None = None) -> str:
    """``precision`` with ``"auto"`` replaced by the choice for ``device`` (default: this machine's)."""
    if precision not in CHOICES:
        raise GanzooError(f"unknown precision '{precision}'; use one of {', '.join(CHOICES)}")
    if precision != "auto":
        return precision
    return choose(device or local_device())


def apply(precision: str = "auto") -> str:
    """Resolves ``precision`` and sets Keras' global dtype policy; returns the resolved name.

    Call it before building a GAN in Python, as ``ganzoo train`` does::

        from ganzoo import precision

        precision.apply("auto")   # bf16 on an A100/H100/TPU, fp32 on a CPU
        gan = ganzoo.build("dcgan")
    """
    resolved = resolve(precision)
    keras.config.set_dtype_policy(POLICIES[resolved])
    return resolved


def resolved_spec(spec, verbose: int = 1):
    """A ``TrainingSpec`` whose ``precision`` is resolved; says once what ``auto`` chose."""
    if spec is None or getattr(spec, "precision", None) != "auto":
        return spec
    device = local_device()
    resolved = choose(device)
    if verbose:
        import sys

        named = device.name and device.name.lower() != device.kind
        what = device.kind + (f" {device.name}" if named else "") + (
            f", compute capability {device.compute_capability[0]}.{device.compute_capability[1]}"
            if device.compute_capability else "")
        print(f"precision: auto -> {resolved} ({what})", file=sys.stderr, flush=True)
    return dataclasses.replace(spec, precision=resolved)

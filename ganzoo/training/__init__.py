"""Training runs: run directories, atomic checkpoints, resume, the training loop.

One module per job: ``trainer`` (the loop and its data stream),
``training_spec`` (what a run was asked for), ``run_dir`` (the directory and
its lock), ``run_start`` (opening a new, resumed or NaN-restarted run),
``checkpoints``, ``callbacks`` (Keras callbacks, usable in plain ``fit``
too) and ``interruption`` (signals, the step watchdog, injected faults).

Nothing here is architecture-specific: multi-stage schedules come from the
architecture's ``stages`` (see ``ganzoo.Stage``).
"""

from ganzoo.errors import TrainingInterrupted
from ganzoo.training.checkpoints import (
    latest_checkpoint,
    list_checkpoints,
    load_checkpoint,
    save_checkpoint,
)
from ganzoo.training.run_dir import RunDir
from ganzoo.training.trainer import train
from ganzoo.training.training_spec import TrainingSpec

__all__ = [
    "RunDir",
    "TrainingInterrupted",
    "TrainingSpec",
    "latest_checkpoint",
    "list_checkpoints",
    "load_checkpoint",
    "save_checkpoint",
    "train",
]

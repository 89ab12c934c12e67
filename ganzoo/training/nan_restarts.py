"""``--max-restarts``: a non-finite loss sends the run back to its last checkpoint, slower."""

from __future__ import annotations

from ganzoo import callbacks as cb
from ganzoo.errors import GanzooError
from ganzoo.training.checkpoints import latest_checkpoint, load_checkpoint
from ganzoo.training.run_dir import RunDir
from ganzoo.training.run_start import echo, gan_step
from ganzoo.training.training_spec import TrainingSpec


class Progress:
    """What a run carries across NaN restarts (and in every checkpoint's state)."""

    def __init__(self, state: dict | None = None):
        state = state or {}
        self.restarts = int(state.get("restarts", 0))
        self.data_skip = int(state.get("data_skip", 0))  # batches skipped in ...
        self.data_skip_phase = state.get("data_skip_phase")  # ... this phase

    def state(self) -> dict:
        """The fields a checkpoint's state.json keeps."""
        return {"restarts": self.restarts, "data_skip": self.data_skip,
                "data_skip_phase": self.data_skip_phase}

    def skip(self, phase_name) -> int:
        """Batches of phase ``phase_name``'s data stream that earlier restarts skipped."""
        return self.data_skip if phase_name == self.data_skip_phase else 0


class RestartGuard(cb.NaNGuard):
    """The NaN guard, remembering the step of the first non-finite loss."""

    failed_step: int | None = None

    def on_train_batch_end(self, batch, logs=None):
        super().on_train_batch_end(batch, logs)
        if self.failure and self.failed_step is None:
            self.failed_step = self.step(batch)


def restart(run: RunDir, spec: TrainingSpec, progress: Progress, guard: RestartGuard,
            phase_name, boundary: int, verbose: int):
    """Back to the last good checkpoint with lower learning rates: (gan, its step).

    The data stream of the failing phase then continues after the batch that
    produced the non-finite loss (and the batches the diverged steps used).
    """
    failed_at = guard.failed_step
    checkpoint = latest_checkpoint(run.checkpoints)
    gan, state = load_checkpoint(checkpoint)
    resumed_at = gan_step(gan)
    rates = {}
    for name in ("g_optimizer", "d_optimizer"):
        optimizer = getattr(gan, name)
        try:
            optimizer.learning_rate = float(optimizer.learning_rate) * spec.restart_lr_factor
        except TypeError:
            raise GanzooError(
                f"training stopped: {guard.failure} (--max-restarts cannot lower the "
                f"{name}'s scheduled learning rate; use a constant one)") from None
        rates[name.replace("optimizer", "lr")] = float(optimizer.learning_rate)
    # The failing phase's batches up to the offending one are not seen again.
    previous = progress.skip(phase_name)
    consumed = failed_at - max(resumed_at, boundary)
    progress.data_skip, progress.data_skip_phase = previous + consumed, phase_name
    progress.restarts += 1
    run.append_metrics({"event": "restart", "step": failed_at, "from_step": resumed_at,
                        "checkpoint": checkpoint.name, "restart": progress.restarts,
                        "reason": guard.failure, "lr_factor": spec.restart_lr_factor,
                        "skipped_batches": progress.data_skip, **rates})
    echo(f"restart {progress.restarts}/{spec.max_restarts}: {guard.failure.split(':')[0]}; "
         f"back to {checkpoint.name} with learning rates x{spec.restart_lr_factor}", verbose)
    return gan, resumed_at

"""Keras callbacks for GAN runs: sample grids, checkpoints, NaN guard, JSONL logs.

They work with any ``ganzoo.GAN`` in plain ``model.fit`` too. Steps are
generator steps (``gan.step_counter``); ``start_step`` is the count when
this ``fit`` began.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np

from ganzoo.images import save_grid


def sample_grid_images(gan, num: int = 64, seed: int = 0):
    """Fixed-seed samples for progress grids: one row per class when conditional."""
    if gan.num_classes:
        per_class = max(1, min(10, num // gan.num_classes))
        labels = np.repeat(np.arange(gan.num_classes), per_class)
        return gan.generate(len(labels), seed=seed, labels=labels), per_class
    return gan.generate(num, seed=seed), None


class StepCallback(keras.callbacks.Callback):
    """Knows the global step without reading model variables every batch."""

    def __init__(self, start_step: int = 0):
        super().__init__()
        self.start_step = start_step

    def step(self, batch: int) -> int:
        return self.start_step + batch + 1


class SampleGrid(StepCallback):
    """Writes ``samples/step_NNNNNNNN.png`` from the same latents every ``every`` steps."""

    def __init__(self, directory, every: int, start_step: int = 0, num: int = 64, seed: int = 0):
        super().__init__(start_step)
        self.directory, self.every, self.num, self.seed = directory, every, num, seed
        self.last = None

    def write(self, step: int) -> None:
        images, ncols = sample_grid_images(self.model, self.num, self.seed)
        save_grid(images, f"{self.directory}/step_{step:08d}.png", ncols)
        self.last = step

    def on_train_batch_end(self, batch, logs=None):
        step = self.step(batch)
        if self.every and step % self.every == 0 and not self.model.stop_training:
            self.write(step)


class NaNGuard(StepCallback):
    """Stops training at the first non-finite loss and says which network diverged."""

    NETWORKS = {"d_loss": "discriminator", "g_loss": "generator"}

    def __init__(self, start_step: int = 0):
        super().__init__(start_step)
        self.failure: str | None = None

    def on_train_batch_end(self, batch, logs=None):
        for key, value in (logs or {}).items():
            if not math.isfinite(float(value)):
                network = self.NETWORKS.get(key, "model")
                self.failure = (
                    f"{key} became {float(value)} at step {self.step(batch)}: the {network} "
                    "diverged; lower its learning rate or add a regularizer, then "
                    "--resume from the last checkpoint"
                )
                self.model.stop_training = True
                return


class MetricsLogger(StepCallback):
    """Appends one JSON line per ``every`` steps to ``metrics.jsonl``."""

    def __init__(self, run_dir, every: int, start_step: int = 0, phase: str | None = None):
        super().__init__(start_step)
        self.run_dir, self.every, self.phase = run_dir, every, phase
        self.started = time.time()

        self.pending: tuple[int, dict] | None = None

    def _write(self, step, logs):
        record = {"step": step, "phase": self.phase,
                  "seconds": round(time.time() - self.started, 3)}
        record.update({k: float(v) for k, v in (logs or {}).items()})
        self.run_dir.append_metrics(record)

    def on_train_batch_end(self, batch, logs=None):
        step = self.step(batch)
        self.pending = (step, dict(logs or {}))
        if self.every and step % self.every == 0:
            self._write(step, logs)
            self.pending = None

    def on_train_end(self, logs=None):
        if self.pending is not None:  # the last steps since the last line
            self._write(*self.pending)


class Checkpointer(StepCallback):
    """Saves a checkpoint every ``every`` steps, unless training failed."""

    def __init__(self, save_fn, every: int, start_step: int = 0, guard: NaNGuard | None = None):
        super().__init__(start_step)
        self.save_fn, self.every, self.guard = save_fn, every, guard

    def on_train_batch_end(self, batch, logs=None):
        step = self.step(batch)
        if self.guard is not None and self.guard.failure:
            return
        if self.every and step % self.every == 0:
            self.save_fn(self.model, step)


class StopOnSignal(keras.callbacks.Callback):
    """Ends ``fit`` after the current step once ``flag()`` is true."""

    def __init__(self, flag):
        super().__init__()
        self.flag = flag

    def on_train_batch_end(self, batch, logs=None):
        if self.flag():
            self.model.stop_training = True

"""Keras callbacks for GAN runs: sample grids, checkpoints, NaN guard, JSONL logs, evaluation.

The classes work with any ``ganzoo.GAN`` in plain ``model.fit`` too. Steps
are generator steps (``gan.step_counter``); ``start_step`` is the count
when this ``fit`` began. The functions at the end make the run-specific
ones ``ganzoo train`` adds (sample grids with a fault point, ``--eval-every``,
TensorBoard).
"""

from __future__ import annotations

import importlib.util
import math
import time

import keras
import numpy as np

from ganzoo.image_grid import save_grid
from ganzoo.training.checkpoints import save_checkpoint
from ganzoo.training.interruption import fault_point
from ganzoo.training.run_dir import RunDir
from ganzoo.training.training_spec import TrainingSpec


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


class EvaluateMetrics(StepCallback):
    """Every ``every`` steps, scores the GAN and keeps the best checkpoint as ``best/``.

    ``evaluate_fn(gan) -> dict`` returns scores (e.g. from
    ``ganzoo.metrics.evaluate``); ``metric`` picks the one that decides "best"
    (lower is better for ``fid``/``kid``, higher for ``is``/``precision``/
    ``recall``). Each evaluation is appended to ``metrics.jsonl`` as
    ``{"event": "eval", ...}`` and logged to TensorBoard as ``eval/<metric>``
    (under ``logs/eval``, when TensorFlow is installed); the best model is
    written with ``save_fn(gan, directory, state)`` (e.g.
    ``ganzoo.training.save_checkpoint``) into a temporary directory and
    renamed to ``run_dir/best``, so ``best/`` is always complete.
    """

    LOWER_IS_BETTER = ("fid", "kid")

    def __init__(self, run_dir, every: int, metric: str, evaluate_fn, save_fn,
                 start_step: int = 0, guard: NaNGuard | None = None):
        super().__init__(start_step)
        self.run_dir, self.every, self.metric = run_dir, every, metric
        self.evaluate_fn, self.save_fn, self.guard = evaluate_fn, save_fn, guard
        self.best = self._previous_best()

    def _key(self) -> str:
        return {"pr": "precision"}.get(self.metric, self.metric)

    def _previous_best(self) -> float | None:
        """The best score of an earlier (resumed) part of the run, from best/."""
        import json
        from pathlib import Path

        state = Path(self.run_dir.path) / "best" / "best.json"
        if state.is_file():
            return json.loads(state.read_text()).get("value")
        return None

    def better(self, value: float) -> bool:
        if self.best is None:
            return math.isfinite(value)
        if self.metric in self.LOWER_IS_BETTER:
            return value < self.best
        return value > self.best

    def on_train_batch_end(self, batch, logs=None):
        step = self.step(batch)
        if self.guard is not None and self.guard.failure:
            return
        if self.every and step % self.every == 0:
            self.run(step)

    def run(self, step: int) -> dict:
        started = time.time()
        result = self.evaluate_fn(self.model)
        value = float(result[self._key()])
        improved = self.better(value)
        record = {"event": "eval", "step": step, "metric": self._key(), "value": value,
                  "best": improved or value == self.best,
                  **{k: result[k] for k in ("fid", "kid", "is", "precision", "recall",
                                            "class_accuracy") if k in result},
                  "provenance": result.get("provenance"),
                  "seconds": round(time.time() - started, 2)}
        self.run_dir.append_metrics(record)
        self._tensorboard(step, {k: record[k] for k in ("fid", "kid", "is", "precision",
                                                       "recall", "class_accuracy")
                                 if k in record})
        if improved:
            self.best = value
            self._save_best(step, value)
        return record

    def _tensorboard(self, step: int, scores: dict) -> None:
        """Scores as ``eval/<metric>`` scalars in ``logs/eval`` (needs TensorFlow)."""
        try:
            import tensorflow as tf
        except ImportError:
            return  # metrics.jsonl has them
        if getattr(self, "_writer", None) is None:
            self._writer = tf.summary.create_file_writer(str(self.run_dir.logs / "eval"))
        # record_if(True): Keras' TensorBoard callback limits recording to its update_freq.
        with self._writer.as_default(), tf.summary.record_if(True):
            for name, value in scores.items():
                tf.summary.scalar(f"eval/{name}", float(value), step=step)
        self._writer.flush()

    def _save_best(self, step: int, value: float) -> None:
        import json
        import os
        import shutil
        from pathlib import Path

        root = Path(self.run_dir.path)
        tmp = root / f".tmp-best-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        written = self.save_fn(self.model, tmp, {"step": step, "metric": self._key(),
                                                 "value": value})
        (Path(written) / "best.json").write_text(
            json.dumps({"step": step, "metric": self._key(), "value": value}))
        final, old = root / "best", root / f".old-best-{os.getpid()}"
        if final.exists():
            os.replace(final, old)
        os.replace(written, final)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


# --- the run-specific callbacks of ``ganzoo train`` ---


class SampleGridWithFaultPoint(SampleGrid):
    """The sample grid (written atomically) with the ``sample`` fault point."""

    def write(self, step: int) -> None:
        fault_point("sample")
        super().write(step)


def evaluator(spec: TrainingSpec, run: RunDir, saved: dict, start: int, guard, source=None):
    """``--eval-every``: score every N steps, keep the best checkpoint as ``best/``.

    ``source``: the run's dataset already resolved (else resolved per evaluation).
    """
    def evaluate_fn(gan):
        metric = {"precision": "pr", "recall": "pr"}.get(spec.eval_metric, spec.eval_metric)
        from ganzoo.metrics import evaluate_gan

        return evaluate_gan(gan, saved, metrics=(metric,),
                            extractor=spec.eval_extractor, weights=spec.eval_weights,
                            num_samples=spec.eval_num_samples,
                            batch_size=min(250, spec.eval_num_samples), source=source)

    return EvaluateMetrics(run, spec.eval_every, spec.eval_metric, evaluate_fn,
                           lambda m, d, s: save_checkpoint(m, d, s, keep=1), start, guard)


def tensorboard(run: RunDir, every: int) -> list:
    """A TensorBoard writer into ``RUN_DIR/logs`` where TensorFlow and TensorBoard are installed."""
    if not all(importlib.util.find_spec(m) for m in ("tensorflow", "tensorboard")):
        return []  # TensorBoard's writer needs both; metrics.jsonl still has it all
    return [keras.callbacks.TensorBoard(str(run.logs), update_freq=every, write_graph=False)]

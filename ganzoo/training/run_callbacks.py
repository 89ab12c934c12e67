"""The run-specific callbacks of ``ganzoo train``: sample grids, evaluation, TensorBoard."""

from __future__ import annotations

import importlib.util

import keras

from ganzoo import callbacks as cb
from ganzoo.training.checkpoints import save_checkpoint
from ganzoo.training.faults import fault_point
from ganzoo.training.run_dir import RunDir
from ganzoo.training.training_spec import TrainingSpec


class SampleGridWithFaultPoint(cb.SampleGrid):
    """The sample grid (written atomically) with the ``sample`` fault point."""

    def write(self, step: int) -> None:
        fault_point("sample")
        super().write(step)


def evaluator(spec: TrainingSpec, run: RunDir, saved: dict, start: int, guard):
    """``--eval-every``: score every N steps, keep the best checkpoint as ``best/``."""
    def evaluate_fn(gan):
        metric = {"precision": "pr", "recall": "pr"}.get(spec.eval_metric, spec.eval_metric)
        from ganzoo.metrics import evaluate_gan

        return evaluate_gan(gan, saved, metrics=(metric,),
                            extractor=spec.eval_extractor, weights=spec.eval_weights,
                            num_samples=spec.eval_num_samples,
                            batch_size=min(250, spec.eval_num_samples))

    return cb.EvaluateMetrics(run, spec.eval_every, spec.eval_metric, evaluate_fn,
                              lambda m, d, s: save_checkpoint(m, d, s, keep=1), start, guard)


def tensorboard(run: RunDir, every: int) -> list:
    """A TensorBoard writer into ``RUN_DIR/logs`` where TensorFlow and TensorBoard are installed."""
    if not all(importlib.util.find_spec(m) for m in ("tensorflow", "tensorboard")):
        return []  # TensorBoard's writer needs both; metrics.jsonl still has it all
    return [keras.callbacks.TensorBoard(str(run.logs), update_freq=every, write_graph=False)]

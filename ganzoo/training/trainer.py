"""The training loop behind ``ganzoo train``: phases, checkpoints, restarts, signals.

Its parts live beside it: the spec (``training_spec``), the run directory and
its lock (``run_dir``), opening a new, resumed or restarted run
(``run_start``), checkpoints (``checkpoints``), the callbacks
(``callbacks``), and what stops a run from outside the step: signals, the
step watchdog and injected faults (``interruption``). The trainer's data
stream is here, below the loop.
"""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np

from ganzoo.errors import DataError, GanzooError, TrainingInterrupted
from ganzoo.training import callbacks as cb
from ganzoo.training.checkpoints import save_checkpoint
from ganzoo.training.interruption import SignalFlag, StepWatchdog, fault_point
from ganzoo.training.run_dir import RunDir, RunLock
from ganzoo.training.run_start import (
    Progress,
    RestartGuard,
    echo,
    open_new,
    open_resumed,
    remove_unstarted,
    restart,
)
from ganzoo.training.training_spec import TrainingSpec


def train(spec: TrainingSpec | None = None, run_dir: str | Path | None = None,
          resume: bool = False, verbose: int = 1, total_steps: int | None = None,
          devices: int | str | None = None, step_timeout: float | None = None) -> RunDir:
    """Train a new run (``spec``) or continue one (``resume=True``); returns its RunDir.

    ``total_steps`` with ``resume`` gives the run a new length (to train a
    finished run further); phased architectures keep theirs. One process at a
    time may train in a run directory (``RUN_DIR/.lock``). ``devices`` (a count
    or ``"all"``) trains on several devices with the batch size as the global
    batch (see ``ganzoo.distribution``); a resumed run may use another count.
    ``step_timeout`` (seconds) ends the process with an error when one step
    takes longer (a dead peer in a multi-process run).
    """
    from ganzoo import distribution, precision

    lock = None
    try:
        with distribution.strategy(devices or 1) as strategy, \
                StepWatchdog(step_timeout, strategy) as watchdog:
            if resume:
                run = RunDir.existing(run_dir)
                if strategy.is_chief:  # only process 0 writes to the run directory
                    lock = RunLock(run.path).acquire()
            else:
                spec = precision.resolved_spec(spec, verbose if strategy.is_chief else 0)
                spec.validate()
                path = Path(run_dir or RunDir.default_path(spec.arch))
                existed = path.exists()
                if strategy.is_chief:
                    lock = RunLock(path)
                    lock.check()  # a live trainer's directory is refused by its PID first
                run = None
            fault_point("startup")
            try:
                return _train(spec, run or path, resume, verbose, total_steps, lock,
                              strategy, watchdog)
            except DataError:
                if not resume and strategy.is_chief:  # leave no half-made run behind
                    remove_unstarted(path, existed)
                raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise GanzooError(
                f"no space left on the device writing {exc.filename or run_dir}; free some "
                "space, then continue with --resume (the last checkpoint is intact)") from None
        raise
    finally:
        if lock is not None:
            lock.release()


def _train(spec, run_or_path, resume, verbose, total_steps, lock, strategy,
           watchdog) -> RunDir:
    verbose = verbose if strategy.is_chief else 0
    if resume:
        opened = open_resumed(run_or_path, total_steps, strategy, verbose)
    else:
        opened = open_new(spec, run_or_path, lock, strategy)
    spec, arch, config, gan, run = opened.spec, opened.arch, opened.config, opened.gan, opened.run
    source = opened.source  # resolved once; every read of the data below gets it
    strategy.prepare(gan)
    saved = run.read_config()
    per_epoch = max(1, saved["examples_per_epoch"] // (config.batch_size * gan.d_steps))
    sample_every = spec.sample_every or per_epoch
    checkpoint_every = spec.checkpoint_every or 500
    progress = Progress(opened.state)

    def save(model, step, phase_name=None):
        return save_checkpoint(model, run.checkpoints, {
            "step": step, "phase": phase_name, "arch": spec.arch, **progress.state()})

    phases = arch.training_stages(config, saved["total_steps"])
    if spec.max_restarts and not run.checkpoints.is_dir():
        save(gan, gan.step, phases[0].name)  # a NaN before the first checkpoint can restart
    start = gan.step
    boundary = 0
    index = 0
    with SignalFlag() as signals:
        while index < len(phases):
            phase = phases[index]
            end = boundary + phase.steps
            if start >= end:
                boundary = end
                index += 1
                continue
            if phase.enter is not None:
                phase.enter(gan)
            size = phase.image_size or config.image_size
            batch = (phase.batch_size or config.batch_size) * gan.d_steps
            strategy.per_device_batch(batch, f"phase '{phase.name}' batch")
            data = batch_stream(source, spec, config, size, batch, spec.seed + index,
                                start - boundary + progress.skip(phase.name), strategy)
            if len(phases) > 1:
                echo(f"phase {index + 1}/{len(phases)} '{phase.name}' at {size}x{size}: "
                     f"steps {start}..{end}", verbose)
            guard = RestartGuard(start)
            samples = cb.SampleGridWithFaultPoint(run.samples, sample_every, start)
            # A step's metrics and grid are written before its checkpoint: a kill during
            # the checkpoint resumes from the one before, which writes them again.
            callbacks = [
                guard,
                cb.MetricsLogger(run, spec.log_every, start, phase.name),
                samples,
                cb.Checkpointer(lambda m, s, p=phase.name: save(m, s, p), checkpoint_every,
                                start, guard),
                cb.StopOnSignal(lambda: signals.received is not None),
                watchdog,
            ]
            if spec.eval_every:
                callbacks.append(cb.evaluator(spec, run, saved, start, guard, source))
            callbacks += cb.tensorboard(run, spec.log_every)
            gan.fit(data, epochs=1, steps_per_epoch=end - start, callbacks=callbacks,
                    verbose=verbose, shuffle=False)
            step = gan.step
            if guard.failure:
                if progress.restarts >= spec.max_restarts:
                    raise GanzooError(f"training stopped: {guard.failure}")
                gan, start = restart(run, spec, progress, guard, phase.name, boundary, verbose)
                strategy.prepare(gan)
                boundary, index = 0, 0  # find the checkpoint's phase again
                continue
            if signals.received:
                path = save(gan, step, phase.name)
                raise TrainingInterrupted(
                    f"stopped by {signals.received} at step {step}; checkpoint {path}; "
                    f"continue with: ganzoo train --resume {run.path}"
                )
            if samples.last != step:
                samples.set_model(gan)
                samples.write(step)
            start = boundary = end
            index += 1
    save(gan, gan.step, phases[-1].name)
    (gan.ema_generator or gan.generator).save(str(run.generator_file))
    gan.save(str(run.gan_file))
    echo(f"done: {run.path} (generator: {run.generator_file})", verbose)
    return run


# --- the trainer's data: an endless, seeded stream of global batches ---


def batch_stream(source, spec, config, image_size: int, batch: int, seed: int, skip: int,
                 strategy=None):
    """An endless, seeded batch stream of global batches; ``skip`` batches already consumed.

    ``source`` is the run's dataset, resolved; ``spec`` the run's
    TrainingSpec, ``config`` its architecture config.
    Keras (JAX) and tf.distribute (TensorFlow) split a tf.data stream over
    devices and processes themselves; the NumPy stream is cut per process here.
    """
    from ganzoo.data import load_arrays, make_dataset, to_model_range

    with_labels = bool(config.num_classes)
    try:
        import tensorflow  # noqa: F401
    except ImportError:  # a JAX-only install: NumPy batches, same order rules
        images, labels = load_arrays(source, image_size=image_size,
                                     channels=config.channels, with_labels=with_labels,
                                     skip_bad_images=spec.skip_bad_images)
        if spec.subset is not None:
            from ganzoo.data.pipeline import subset_indices

            keep = subset_indices(len(images), spec.subset, spec.seed)
            images, labels = images[keep], None if labels is None else labels[keep]
        return _array_batches(to_model_range(images), labels, batch, seed, skip,
                              *((strategy.process_id, strategy.num_processes) if strategy else ()))
    ds = make_dataset(source, image_size=image_size, batch_size=batch, channels=config.channels,
                      with_labels=with_labels, real_transforms=spec.real_transforms,
                      shuffle=True, seed=seed,
                      repeat=True, drop_remainder=True, skip_bad_images=spec.skip_bad_images,
                      subset=spec.subset, subset_seed=spec.seed)
    return ds.skip(skip) if skip else ds


def _array_batches(images, labels, batch, seed, skip, process=0, processes=1):
    """NumPy batches in a fixed order per (seed, pass); starts ``skip`` batches in."""
    per_pass = len(images) // batch
    index = skip
    while True:
        epoch, position = divmod(index, per_pass)
        order = np.random.default_rng([seed, epoch]).permutation(len(images))
        take = order[position * batch : (position + 1) * batch]
        take = np.array_split(take, processes)[process]  # this process's slice of the batch
        yield (images[take], labels[take]) if labels is not None else images[take]
        index += 1

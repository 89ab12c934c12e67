"""The training loop behind ``ganzoo train``: phases, checkpoints, restarts, signals.

Its parts live beside it: the spec (``training_spec``), opening a new or a
resumed run (``run_start``), the data (``data_stream``), NaN restarts
(``nan_restarts``), signals (``interruption``) and the run's callbacks
(``run_callbacks``).
"""

from __future__ import annotations

import errno
from pathlib import Path

from ganzoo import callbacks as cb
from ganzoo.errors import DataError, GanzooError, TrainingInterrupted
from ganzoo.training import data_stream
from ganzoo.training.checkpoints import save_checkpoint
from ganzoo.training.faults import fault_point
from ganzoo.training.interruption import SignalFlag
from ganzoo.training.lock import RunLock
from ganzoo.training.nan_restarts import Progress, RestartGuard, restart
from ganzoo.training.run_callbacks import (
    SampleGridWithFaultPoint,
    evaluator,
    tensorboard,
)
from ganzoo.training.run_dir import RunDir
from ganzoo.training.run_start import (
    echo,
    gan_step,
    open_new,
    open_resumed,
    remove_unstarted,
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
                distribution.StepWatchdog(step_timeout, strategy) as watchdog:
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
        save(gan, gan_step(gan), phases[0].name)  # a NaN before the first checkpoint can restart
    start = gan_step(gan)
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
            data = data_stream.batch_stream(spec, config, size, batch, spec.seed + index,
                                            start - boundary + progress.skip(phase.name),
                                            strategy)
            if len(phases) > 1:
                echo(f"phase {index + 1}/{len(phases)} '{phase.name}' at {size}x{size}: "
                     f"steps {start}..{end}", verbose)
            guard = RestartGuard(start)
            samples = SampleGridWithFaultPoint(run.samples, sample_every, start)
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
                callbacks.append(evaluator(spec, run, saved, start, guard))
            callbacks += tensorboard(run, spec.log_every)
            gan.fit(data, epochs=1, steps_per_epoch=end - start, callbacks=callbacks,
                    verbose=verbose, shuffle=False)
            step = gan_step(gan)
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
    save(gan, gan_step(gan), phases[-1].name)
    (gan.ema_generator or gan.generator).save(str(run.generator_file))
    gan.save(str(run.gan_file))
    echo(f"done: {run.path} (generator: {run.generator_file})", verbose)
    return run

"""The training loop behind ``ganzoo train``: phases, checkpoints, resume, signals."""

from __future__ import annotations

import dataclasses
import errno
import math
import shutil
import signal
import sys
import threading
from pathlib import Path

import keras
import numpy as np
from keras import ops

from ganzoo import callbacks as cb
from ganzoo.api import get_architecture
from ganzoo.config import GANConfig, config_to_dict
from ganzoo.errors import DataError, GanzooError, TrainingInterrupted
from ganzoo.training.checkpoints import (
    latest_checkpoint,
    list_checkpoints,
    load_checkpoint,
    recover,
    save_checkpoint,
)
from ganzoo.training.faults import fault_point
from ganzoo.training.lock import RunLock
from ganzoo.training.run_dir import RunDir

PRECISIONS = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}




@dataclasses.dataclass
class TrainingSpec:
    """Everything ``ganzoo train`` was asked for; saved in the run's config.yaml."""

    arch: str
    dataset: str
    overrides: dict = dataclasses.field(default_factory=dict)  # config key -> value
    steps: int | None = None  # generator steps in all
    epochs: float | None = None  # or passes over the data
    seed: int = 0
    precision: str = "auto"  # resolved by ganzoo.precision before the run starts
    augment: tuple[str, ...] = ()  # real-data pipeline augmentation (flip...): changes the data
    d_augment: str | None = None  # differentiable augmentation in D (ganzoo.augment spec)
    subset: float | int | None = None  # part of the training images, fixed by the seed
    sample_every: int | None = None  # default: once per epoch
    checkpoint_every: int | None = None  # default: 500 steps
    log_every: int = 10
    skip_bad_images: bool = False
    eval_every: int | None = None  # steps between metric evaluations (keeps best/)
    eval_metric: str = "fid"
    eval_num_samples: int = 2000
    eval_extractor: str = "classifier"
    eval_weights: str | None = None
    max_restarts: int = 0  # non-finite loss: reload the last checkpoint this often
    restart_lr_factor: float = 0.5  # ... multiplying both learning rates by this

    def validate(self) -> None:
        if (self.steps is None) == (self.epochs is None):
            raise GanzooError("give exactly one of --steps and --epochs")
        for name in ("steps", "epochs", "sample_every", "checkpoint_every", "log_every"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise GanzooError(f"--{name.replace('_', '-')} must be positive, got {value}")
        for name, kinds in (("seed", int), ("steps", int), ("epochs", (int, float)),
                            ("sample_every", int), ("checkpoint_every", int),
                            ("log_every", int), ("max_restarts", int),
                            ("restart_lr_factor", (int, float)), ("arch", str),
                            ("dataset", str), ("precision", str), ("overrides", dict)):
            value = getattr(self, name)
            if (value is not None or name in ("seed", "arch", "dataset")) and (
                    not isinstance(value, kinds) or isinstance(value, bool)):
                kind = {int: "an integer", str: "a string", dict: "a mapping"}.get(kinds, "a number")
                raise GanzooError(f"{name} must be {kind}, got {value!r}")
        if self.max_restarts < 0:
            raise GanzooError(f"--max-restarts must be 0 or more, got {self.max_restarts}")
        if not 0 < self.restart_lr_factor <= 1:
            raise GanzooError("--restart-lr-factor must be in (0, 1], got "
                              f"{self.restart_lr_factor}")
        if self.d_augment is not None:
            from ganzoo import augment

            augment.get(self.d_augment)  # an unknown name or option fails before the run starts
        if self.subset is not None:
            from ganzoo.data.pipeline import subset_size

            subset_size(10**12, self.subset)  # type and range; the count is checked on the data
        if self.precision not in PRECISIONS:
            raise GanzooError(
                f"unknown precision '{self.precision}'; use one of {', '.join(PRECISIONS)}"
            )


def set_precision(precision: str) -> None:
    keras.config.set_dtype_policy(PRECISIONS[precision])


def resolve_training_spec(spec: TrainingSpec):
    """The architecture's config: paper defaults < overrides < what the data says."""
    from ganzoo.data import dataset_info

    arch = get_architecture(spec.arch)
    if not (isinstance(arch.config_class, type) and issubclass(arch.config_class, GANConfig)):
        raise GanzooError(
            f"architecture '{spec.arch}' does not generate images; `ganzoo train` "
            "trains image GANs (use ganzoo.build(...).fit for it)"
        )
    info = dataset_info(spec.dataset)
    overrides = dict(spec.overrides)
    overrides.setdefault("channels", info.image_shape[-1] if info.image_shape[-1] in (1, 3) else 3)
    if arch.make_config().num_classes > 0:  # a class-conditional architecture
        if not info.num_classes:
            raise GanzooError(
                f"architecture '{spec.arch}' is class-conditional but dataset "
                f"'{spec.dataset}' has no labels; use labelled data (class sub-folders, "
                "an .npz with labels) or an unconditional architecture"
            )
        overrides.setdefault("num_classes", info.num_classes)
    return arch, arch.make_config(**overrides), info


def _dataset(spec: TrainingSpec, config, image_size: int, batch: int, seed: int, skip: int,
             strategy=None):
    """An endless, seeded batch stream of global batches; ``skip`` batches already consumed.

    Keras (JAX) and tf.distribute (TensorFlow) split a tf.data stream over
    devices and processes themselves; the NumPy stream is cut per process here.
    """
    from ganzoo.data import load_arrays, make_dataset, to_model_range

    with_labels = bool(config.num_classes)
    try:
        import tensorflow  # noqa: F401
    except ImportError:  # a JAX-only install: NumPy batches, same order rules
        images, labels = load_arrays(spec.dataset, image_size=image_size,
                                     channels=config.channels, with_labels=with_labels,
                                     skip_bad_images=spec.skip_bad_images)
        if spec.subset is not None:
            from ganzoo.data.pipeline import subset_indices

            keep = subset_indices(len(images), spec.subset, spec.seed)
            images, labels = images[keep], None if labels is None else labels[keep]
        return _array_batches(to_model_range(images), labels, batch, seed, skip,
                              *((strategy.process_id, strategy.num_processes) if strategy else ()))
    ds = make_dataset(spec.dataset, image_size=image_size, batch_size=batch, channels=config.channels,
                      with_labels=with_labels, augment=spec.augment, shuffle=True, seed=seed,
                      repeat=True, drop_remainder=True, skip_bad_images=spec.skip_bad_images,
                      subset=spec.subset, subset_seed=spec.seed)
    return ds.skip(skip) if skip else ds


def _array_batches(images, labels, batch, seed, skip, process=0, processes=1):
    per_pass = len(images) // batch
    index = skip
    while True:
        epoch, position = divmod(index, per_pass)
        order = np.random.default_rng([seed, epoch]).permutation(len(images))
        take = order[position * batch : (position + 1) * batch]
        take = np.array_split(take, processes)[process]  # this process's slice of the batch
        yield (images[take], labels[take]) if labels is not None else images[take]
        index += 1


def _build(arch, config, spec: TrainingSpec):
    """The compiled GAN of a new run, with ``spec.d_augment`` added to its compile settings."""
    gan = arch.build(config)
    if not gan.compiled:
        gan.compile()
    if spec.d_augment is not None:
        gan.compile_from_config({**gan.get_compile_config(), "augment": spec.d_augment})
    return gan


def _step(gan) -> int:
    return int(ops.convert_to_numpy(gan.step_counter))


class _Signals:
    """Turns SIGINT/SIGTERM into a flag the training loop checks between steps."""

    def __init__(self):
        self.received: str | None = None
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        self.received = signal.Signals(signum).name

    def __exit__(self, *exc):
        for sig, handler in self._old.items():
            signal.signal(sig, handler)


def _echo(message: str, verbose: int) -> None:
    if verbose:
        print(message, file=sys.stderr, flush=True)


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
                    _remove_unstarted(path, existed)
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


def _remove_unstarted(path: Path, existed: bool) -> None:
    """Undo a new run that holds nothing but its config (and lock): remove those,
    and the directory too when this run created it."""
    if path.is_dir() and {p.name for p in path.iterdir()} <= {"config.yaml", ".lock"}:
        if existed:
            for name in ("config.yaml", ".lock"):
                (path / name).unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _spec_from_config(run: RunDir, saved: dict) -> TrainingSpec:
    known = {f.name for f in dataclasses.fields(TrainingSpec)}
    unknown = sorted(set(saved["spec"]) - known)
    if unknown:
        raise GanzooError(
            f"{run.config_file} has settings this ganzoo does not know ({', '.join(unknown)}; "
            f"written by ganzoo {saved.get('ganzoo_version', '?')}); upgrade ganzoo to resume it")
    try:
        spec = TrainingSpec(**saved["spec"])
        spec.augment = tuple(spec.augment)
        spec.validate()
    except (TypeError, ValueError, GanzooError) as exc:
        raise GanzooError(f"{run.config_file}: bad 'spec' ({exc}); restore the file "
                          "`ganzoo train` wrote or start a new run") from None
    return spec


class _Progress:
    """What a run carries across NaN restarts (and in every checkpoint's state)."""

    def __init__(self, state: dict | None = None):
        state = state or {}
        self.restarts = int(state.get("restarts", 0))
        self.data_skip = int(state.get("data_skip", 0))  # batches skipped in ...
        self.data_skip_phase = state.get("data_skip_phase")  # ... this phase

    def state(self) -> dict:
        return {"restarts": self.restarts, "data_skip": self.data_skip,
                "data_skip_phase": self.data_skip_phase}

    def skip(self, phase_name) -> int:
        return self.data_skip if phase_name == self.data_skip_phase else 0


class _NaNGuard(cb.NaNGuard):
    """The NaN guard, remembering the step of the first non-finite loss."""

    failed_step: int | None = None

    def on_train_batch_end(self, batch, logs=None):
        super().on_train_batch_end(batch, logs)
        if self.failure and self.failed_step is None:
            self.failed_step = self.step(batch)


class _SampleGrid(cb.SampleGrid):
    """The sample grid (written atomically) with the ``sample`` fault point."""

    def write(self, step: int) -> None:
        fault_point("sample")
        super().write(step)


def _train(spec, run_or_path, resume, verbose, total_steps, lock, strategy,
           watchdog) -> RunDir:
    import ganzoo

    state: dict = {}
    verbose = verbose if strategy.is_chief else 0
    if resume:
        run = run_or_path
        saved = run.read_config()
        spec = _spec_from_config(run, saved)
        set_precision(spec.precision)
        # Ops seeded from the global seed (not the GAN's saved SeedGenerator) draw the
        # same numbers in a fresh process only when the global seed is the same.
        keras.utils.set_random_seed(spec.seed)
        arch = get_architecture(spec.arch)
        try:
            config = arch.make_config(**saved["config"])
        except (TypeError, ValueError) as exc:
            raise GanzooError(f"{run.config_file}: bad 'config' ({exc}); restore the file "
                              "`ganzoo train` wrote or start a new run") from None
        for line in recover(run.checkpoints) if strategy.is_chief else ():
            _echo(line, verbose)
        if list_checkpoints(run.checkpoints):
            checkpoint = latest_checkpoint(run.checkpoints)
            gan, state = load_checkpoint(checkpoint)
            if state.get("arch", spec.arch) != spec.arch:
                raise GanzooError(
                    f"checkpoint {checkpoint} holds a '{state['arch']}' model but run "
                    f"{run.path} trains '{spec.arch}'; move that checkpoint out of "
                    f"{run.checkpoints}")
            where = checkpoint.name
        else:  # stopped before its first checkpoint: the seed rebuilds step 0 exactly
            keras.utils.set_random_seed(spec.seed)
            gan = _build(arch, config, spec)
            where = "the start (no checkpoint was written yet)"
        if strategy.is_chief:
            run.trim_metrics(_step(gan))
        total = saved["total_steps"]
        if total_steps is not None and total_steps != total:
            _check_new_total(arch, config, total, total_steps, _step(gan))
            total = saved["total_steps"] = total_steps
        run = _writable(run, strategy)
        run.write_config(_with_devices(saved, strategy, config))
        _echo(f"resuming {run.path} from {where}", verbose)
    else:
        arch, config, info = resolve_training_spec(spec)
        strategy.per_device_batch(config.batch_size)  # uneven: one clear error before any work
        run = None
        if strategy.is_chief:
            run = RunDir.create(run_or_path)
            lock.acquire()
        run = _writable(run, strategy)
        set_precision(spec.precision)
        keras.utils.set_random_seed(spec.seed)  # same seed, same initial weights
        gan = _build(arch, config, spec)
        batch = config.batch_size * gan.d_steps
        examples = info.num_examples
        if spec.subset is not None:
            from ganzoo.data.pipeline import subset_size

            examples = subset_size(info.num_examples, spec.subset)
        total = spec.steps or max(1, math.ceil(spec.epochs * examples / batch))
        run.write_config(_with_devices({
            "arch": spec.arch,
            "dataset": spec.dataset,
            "backend": keras.backend.backend(),
            "ganzoo_version": ganzoo.__version__,
            "total_steps": total,
            "examples_per_epoch": examples,
            "spec": {**dataclasses.asdict(spec), "augment": list(spec.augment)},
            "config": config_to_dict(config),
        }, strategy, config))
    strategy.prepare(gan)
    saved = run.read_config()
    per_epoch = max(1, saved["examples_per_epoch"] // (config.batch_size * gan.d_steps))
    sample_every = spec.sample_every or per_epoch
    checkpoint_every = spec.checkpoint_every or 500
    progress = _Progress(state)

    def save(model, step, phase_name=None):
        return save_checkpoint(model, run.checkpoints, {
            "step": step, "phase": phase_name, "arch": spec.arch, **progress.state()})

    phases = arch.training_phases(config, total)
    if spec.max_restarts and not run.checkpoints.is_dir():
        save(gan, _step(gan), phases[0].name)  # a NaN before the first checkpoint can restart
    start = _step(gan)
    boundary = 0
    index = 0
    with _Signals() as signals:
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
            data = _dataset(spec, config, size, batch, spec.seed + index,
                            start - boundary + progress.skip(phase.name), strategy)
            if len(phases) > 1:
                _echo(f"phase {index + 1}/{len(phases)} '{phase.name}' at {size}x{size}: "
                      f"steps {start}..{end}", verbose)
            guard = _NaNGuard(start)
            samples = _SampleGrid(run.samples, sample_every, start)
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
                callbacks.append(_evaluator(spec, run, saved, start, guard))
            callbacks += _tensorboard(run, spec.log_every)
            gan.fit(data, epochs=1, steps_per_epoch=end - start, callbacks=callbacks,
                    verbose=verbose, shuffle=False)
            step = _step(gan)
            if guard.failure:
                if progress.restarts >= spec.max_restarts:
                    raise GanzooError(f"training stopped: {guard.failure}")
                gan, start = _restart(run, spec, progress, guard, phase.name, boundary,
                                      verbose)
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
    save(gan, _step(gan), phases[-1].name)
    (gan.ema_generator or gan.generator).save(str(run.generator_file))
    gan.save(str(run.gan_file))
    _echo(f"done: {run.path} (generator: {run.generator_file})", verbose)
    return run


def _restart(run: RunDir, spec: TrainingSpec, progress: _Progress, guard, phase_name,
             boundary: int, verbose: int):
    """``--max-restarts``: back to the last good checkpoint with lower learning rates.

    The data stream of the failing phase then continues after the batch that
    produced the non-finite loss (and the batches the diverged steps used).
    """
    failed_at = guard.failed_step
    checkpoint = latest_checkpoint(run.checkpoints)
    gan, state = load_checkpoint(checkpoint)
    resumed_at = _step(gan)
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
    _echo(f"restart {progress.restarts}/{spec.max_restarts}: {guard.failure.split(':')[0]}; "
          f"back to {checkpoint.name} with learning rates x{spec.restart_lr_factor}", verbose)
    return gan, resumed_at


def _writable(run: RunDir | None, strategy) -> RunDir:
    """The run directory on process 0; a private scratch copy on the others.

    Every process runs the same callbacks (sampling and saving read variables
    that live on all processes), but only process 0's files are the run's.
    """
    if strategy.is_chief:
        return run
    import tempfile

    scratch = RunDir(tempfile.mkdtemp(prefix=f"ganzoo-process{strategy.process_id}-"))
    if run is not None:
        scratch.write_config(run.read_config())
    return scratch


def _with_devices(saved: dict, strategy, config) -> dict:
    """The run's config with the devices of this (latest) session and the per-device batch."""
    global_batch = config.batch_size
    saved["distribution"] = {**strategy.describe(), "global_batch": global_batch,
                             "per_device_batch": strategy.per_device_batch(global_batch)}
    return saved


def _check_new_total(arch, config, total: int, new_total: int, step: int) -> None:
    if new_total < step:
        raise GanzooError(f"--steps {new_total} is below step {step}, which this run has "
                          f"reached; give a total above {step}")
    if len(arch.training_phases(config, total)) > 1:
        raise GanzooError(f"{arch.name} grows through phases sized by the run's total of "
                          f"{total} steps, so --resume cannot change it; start a new run")


def _evaluator(spec: TrainingSpec, run: RunDir, saved: dict, start: int, guard):
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


def _tensorboard(run: RunDir, every: int) -> list:
    import importlib.util

    if not all(importlib.util.find_spec(m) for m in ("tensorflow", "tensorboard")):
        return []  # TensorBoard's writer needs both; metrics.jsonl still has it all
    return [keras.callbacks.TensorBoard(str(run.logs), update_freq=every, write_graph=False)]

"""Opening a run: a new one from its spec, a stopped one from its last checkpoint,
or, after a non-finite loss (``--max-restarts``), the last checkpoint again with
lower learning rates.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import sys
from pathlib import Path

import keras

from ganzoo import precision
from ganzoo.api import get_architecture
from ganzoo.config import config_to_dict
from ganzoo.data import resolve_source
from ganzoo.errors import GanzooError
from ganzoo.training.callbacks import NaNGuard
from ganzoo.training.checkpoints import (
    latest_checkpoint,
    list_checkpoints,
    load_checkpoint,
    recover,
)
from ganzoo.training.run_dir import RunDir
from ganzoo.training.training_spec import (
    TrainingSpec,
    resolve_training_spec,
    spec_from_config,
)


@dataclasses.dataclass
class OpenedRun:
    """A run ready to train: what it was asked for, its model and its directory."""

    spec: TrainingSpec
    arch: object  # the Architecture
    config: object  # the architecture's config
    gan: object  # the compiled GAN, at its saved step
    run: RunDir  # process 0: the run; the others: a scratch copy
    state: dict  # the checkpoint's state.json ({} for a new run)
    source: object  # the run's dataset, resolved once (a ganzoo.data.DatasetSource)


def echo(message: str, verbose: int) -> None:
    """A progress line on stderr (when ``verbose``)."""
    if verbose:
        notice(message)


def notice(message: str) -> None:
    """A line on stderr that neither ``-q`` nor a warnings filter hides."""
    print(message, file=sys.stderr, flush=True)



def build_for_run(arch, config, spec: TrainingSpec):
    """The compiled GAN of a new run, with the spec's D augmentation, regularizers,
    top-k and FreezeD added to its compile settings."""
    gan = arch.build(config)
    if not gan.compiled:
        gan.compile()
    changes = spec.compile_overrides(gan.get_compile_config())
    if changes:
        gan.compile_from_config({**gan.get_compile_config(), **changes})
    return gan


def open_new(spec: TrainingSpec, path: Path, lock, strategy) -> OpenedRun:
    """Create the run directory of ``spec`` at ``path`` (process 0) and build its GAN."""
    import ganzoo

    source = resolve_source(spec.dataset)
    arch, config, info = resolve_training_spec(spec, source)
    strategy.per_device_batch(config.batch_size)  # uneven: one clear error before any work
    run = None
    if strategy.is_chief:
        run = RunDir.create(path)
        lock.acquire()
    run = _writable(run, strategy)
    precision.apply(spec.precision)
    keras.utils.set_random_seed(spec.seed)  # same seed, same initial weights
    gan = build_for_run(arch, config, spec)
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
        "spec": {**dataclasses.asdict(spec), "real_transforms": list(spec.real_transforms),
                 "regularizers": list(spec.regularizers)},
        "config": config_to_dict(config),
    }, strategy, config))
    return OpenedRun(spec, arch, config, gan, run, {}, source)


def open_resumed(run: RunDir, total_steps: int | None, strategy, verbose: int) -> OpenedRun:
    """A stopped run at its newest good checkpoint (or rebuilt at step 0 from its seed).

    ``total_steps`` gives the run a new length; phased architectures keep theirs.
    """
    saved = run.read_config()
    spec = spec_from_config(run, saved)
    precision.apply(spec.precision)
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
        echo(line, verbose)
    state: dict = {}
    if list_checkpoints(run.checkpoints):
        checkpoint = latest_checkpoint(run.checkpoints, notify=notice)
        gan, state = load_checkpoint(checkpoint)
        if state.get("arch", spec.arch) != spec.arch:
            raise GanzooError(
                f"checkpoint {checkpoint} holds a '{state['arch']}' model but run "
                f"{run.path} trains '{spec.arch}'; move that checkpoint out of "
                f"{run.checkpoints}")
        where = checkpoint.name
    else:  # stopped before its first checkpoint: the seed rebuilds step 0 exactly
        keras.utils.set_random_seed(spec.seed)
        gan = build_for_run(arch, config, spec)
        where = "the start (no checkpoint was written yet)"
    if strategy.is_chief:
        run.trim_metrics(gan.step)
    total = saved["total_steps"]
    if total_steps is not None and total_steps != total:
        _check_new_total(arch, config, total, total_steps, gan.step)
        total = saved["total_steps"] = total_steps
    run = _writable(run, strategy)
    run.write_config(_with_devices(saved, strategy, config))
    echo(f"resuming {run.path} from {where}", verbose)
    return OpenedRun(spec, arch, config, gan, run, state, resolve_source(spec.dataset))


def remove_unstarted(path: Path, existed: bool) -> None:
    """Undo a new run that holds nothing but its config (and lock): remove those,
    and the directory too when this run created it."""
    if path.is_dir() and {p.name for p in path.iterdir()} <= {"config.yaml", ".lock"}:
        if existed:
            for name in ("config.yaml", ".lock"):
                (path / name).unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


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
    if len(arch.training_stages(config, total)) > 1:
        raise GanzooError(f"{arch.name} trains in stages sized by the run's total of "
                          f"{total} steps, so --resume cannot change it; start a new run")


# --- --max-restarts: back to the last checkpoint, slower ---


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


class RestartGuard(NaNGuard):
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
    checkpoint = latest_checkpoint(run.checkpoints, notify=notice)
    gan, state = load_checkpoint(checkpoint)
    resumed_at = gan.step
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

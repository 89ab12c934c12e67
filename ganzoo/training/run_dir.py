"""The run directory (config, checkpoints, samples, logs, metrics, final models) and its lock.

One trainer per run directory: :class:`RunLock` is an advisory ``fcntl.flock``
on ``RUN_DIR/.lock`` holding the owner's PID. The kernel drops it when the
owning process dies, however it dies, so a lock left by a dead process is
simply taken over; the PID names the owner in the refusal message.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import yaml

from ganzoo.errors import GanzooError, RunDirLocked

try:
    import fcntl
except ImportError:  # not POSIX: no locking, as before
    fcntl = None

LOCK_NAME = ".lock"

# key -> type every config.yaml holds; checked on read so that a damaged or
# hand-edited file gets one line naming it instead of a KeyError deep inside.
REQUIRED = {"arch": str, "dataset": str, "total_steps": int, "examples_per_epoch": int,
            "spec": dict, "config": dict}


class RunDir:
    """Paths inside one run directory, and its ``config.yaml``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @classmethod
    def default_path(cls, arch: str) -> Path:
        return Path("runs") / f"{arch}-{time.strftime('%Y%m%d-%H%M%S')}"

    @classmethod
    def create(cls, path: str | os.PathLike) -> RunDir:
        """A new run directory; an existing non-empty one is refused (no data lost)."""
        path = Path(path)
        if path.exists() and any(p.name != LOCK_NAME for p in path.iterdir()):
            raise GanzooError(
                f"run directory {path} already exists and is not empty; "
                f"continue it with --resume {path} or choose another --run-dir"
            )
        path.mkdir(parents=True, exist_ok=True)
        return cls(path)

    @classmethod
    def existing(cls, path: str | os.PathLike) -> RunDir:
        run = cls(path)
        if not run.config_file.is_file():
            raise GanzooError(
                f"{path} is not a ganzoo run directory (no config.yaml); "
                "pass the directory `ganzoo train` wrote"
            )
        return run

    checkpoints = property(lambda self: self.path / "checkpoints")
    samples = property(lambda self: self.path / "samples")
    logs = property(lambda self: self.path / "logs")
    metrics_file = property(lambda self: self.path / "metrics.jsonl")
    config_file = property(lambda self: self.path / "config.yaml")
    generator_file = property(lambda self: self.path / "generator.keras")
    gan_file = property(lambda self: self.path / "gan.keras")

    def write_config(self, config: dict) -> None:
        tmp = self.config_file.with_suffix(".yaml.tmp")
        tmp.write_text(yaml.safe_dump(config, sort_keys=False))
        os.replace(tmp, self.config_file)

    def read_config(self) -> dict:
        try:
            saved = yaml.safe_load(self.config_file.read_text())
        except yaml.YAMLError as exc:
            problem = str(exc).replace("\n", " ")
            raise GanzooError(f"{self.config_file} is not valid YAML: {problem}") from None
        if not isinstance(saved, dict):
            raise GanzooError(f"{self.config_file} must be a mapping as `ganzoo train` "
                              "wrote it; restore it or start a new run")
        for key, kind in REQUIRED.items():
            value = saved.get(key)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise GanzooError(
                    f"{self.config_file}: '{key}' must be a {kind.__name__}, got "
                    f"{value!r}; restore the file `ganzoo train` wrote or start a new run")
        return saved

    def trim_metrics(self, step: int) -> int:
        """Keep the metrics of steps up to ``step`` (where a resumed run continues).

        Lines past it belong to steps the resumed run trains again; a last line
        cut short by a kill is dropped too. Event lines (restarts) are kept.
        Returns how many lines were dropped.
        """
        if not self.metrics_file.is_file():
            return 0
        kept, dropped = [], 0
        for line in self.metrics_file.read_text().splitlines(keepends=True):
            try:
                record = json.loads(line) if line.endswith("\n") else None
            except ValueError:
                record = None
            if isinstance(record, dict) and ("event" in record or record.get("step", 0) <= step):
                kept.append(line)
            else:
                dropped += 1
        if dropped:
            tmp = self.metrics_file.with_suffix(".jsonl.tmp")
            tmp.write_text("".join(kept))
            os.replace(tmp, self.metrics_file)
        return dropped

    def append_metrics(self, record: dict) -> None:
        with open(self.metrics_file, "a") as f:
            f.write(json.dumps(record, default=float) + "\n")


class RunLock:
    """Holds ``RUN_DIR/.lock`` until :meth:`release` (or the process ends)."""

    def __init__(self, run_path: str | os.PathLike):
        self.path = Path(run_path) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        if fcntl is None or self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise RunDirLocked(_in_use(self.path, owner)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        self._fd = fd
        return self

    def check(self) -> None:
        """Refuse (RunDirLocked) if a live process holds the lock; create nothing."""
        if fcntl is None or self._fd is not None or not self.path.is_file():
            return
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            owner = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            raise RunDirLocked(_in_use(self.path, owner)) from None
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock; the file may stay
            self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _in_use(path: Path, owner: str) -> str:
    return (f"run directory {path.parent} is in use by ganzoo process {owner} "
            f"(lock file {path}); wait for it to finish or stop it, then retry")


def lock_owner(run_path: str | os.PathLike) -> str | None:
    """The PID recorded in the run's lock file, or None when there is none."""
    path = Path(run_path) / LOCK_NAME
    try:
        return path.read_text().strip() or None
    except OSError:
        return None

"""One trainer per run directory: an advisory lock file holding the owner's PID.

The lock is ``fcntl.flock`` on ``RUN_DIR/.lock``: the kernel drops it when the
owning process dies, however it dies, so a lock left by a dead process is
simply taken over. The PID written into the file names the owner in the
refusal message.
"""

from __future__ import annotations

import os
from pathlib import Path

from ganzoo.errors import RunDirLocked

try:
    import fcntl
except ImportError:  # not POSIX: no locking, as before
    fcntl = None

LOCK_NAME = ".lock"




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

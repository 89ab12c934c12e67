"""Atomic, checksummed checkpoints; the newest good one wins.

A checkpoint is a directory ``checkpoints/step-NNNNNNNN`` holding ``gan.keras``
(networks, EMA, both optimizers, RNG state), ``state.json`` (step, phase) and
``SHA256SUMS.json``. It is written to a hidden temporary directory and renamed
into place, so a crash or a signal never leaves a partial checkpoint under a
real name. Every file and the temporary directory are fsync'ed before the
rename and the parent directory after it, so a power cut cannot leave a
renamed checkpoint whose data never reached the disk; if one is damaged anyway,
its checksums give it away and resume skips it. A write that fails (a full
disk) removes its temporary directory and raises one clear error; the older
checkpoints are untouched. The last ``keep`` good checkpoints are kept.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

from ganzoo.errors import CheckpointWriteError, GanzooError
from ganzoo.training.interruption import fault_point

PREFIX = "step-"
SUMS = "SHA256SUMS.json"
FORMAT = 1  # state.json's "format": bumped when a checkpoint's layout changes


class CheckpointWarning(UserWarning):
    """A checkpoint was unusable and an older one is used instead."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()




def fsync_path(path: Path) -> None:
    """Flush a file's or a directory's data and metadata to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_checkpoint(gan, directory: str | os.PathLike, state: dict, keep: int = 2) -> Path:
    """Write ``gan`` and ``state`` (must contain ``step``) atomically and durably."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{PREFIX}{int(state['step']):08d}"
    state = {"format": FORMAT, **state}
    tmp = root / f".tmp-{final.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _write(gan, tmp, state)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # give the space back; older ones stay
        raise CheckpointWriteError(_write_failure(final, exc)) from None
    fault_point("checkpoint-rename")
    if final.exists():  # the same step saved again (e.g. at the end of a run)
        old = root / f".old-{final.name}-{os.getpid()}"
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
    fsync_path(root)  # the rename itself survives a power cut
    fault_point("checkpoint-prune")
    _prune(root, keep)
    return final


def _write(gan, tmp: Path, state: dict) -> None:
    tmp.mkdir()
    fault_point("checkpoint")
    gan.save(str(tmp / "gan.keras"))
    (tmp / "state.json").write_text(json.dumps(state, indent=2))
    sums = {name: sha256(tmp / name) for name in ("gan.keras", "state.json")}
    (tmp / SUMS).write_text(json.dumps(sums, indent=2))
    for name in ("gan.keras", "state.json", SUMS):
        fsync_path(tmp / name)
    fsync_path(tmp)


def _write_failure(final: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"cannot write checkpoint {final}: no space left on the device; "
                f"free some space, then continue with --resume "
                f"(the previous checkpoints are intact)")
    return (f"cannot write checkpoint {final}: {exc.strerror or exc}; fix that, then "
            f"continue with --resume (the previous checkpoints are intact)")


def verify(checkpoint: Path) -> str | None:
    """None when the checkpoint is complete and intact, else what is wrong."""
    sums_file = checkpoint / SUMS
    if not sums_file.is_file():
        return f"{SUMS} is missing"
    try:
        sums = json.loads(sums_file.read_text())
    except ValueError:
        return f"{SUMS} is unreadable"
    for name, expected in sums.items():
        path = checkpoint / name
        if not path.is_file():
            return f"{name} is missing"
        if sha256(path) != expected:
            return f"{name} does not match its checksum"
    return None


def list_checkpoints(directory: str | os.PathLike) -> list[Path]:
    """Checkpoint directories, oldest first (good or not)."""
    root = Path(directory)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX)]
    return sorted(found, key=lambda p: int(p.name[len(PREFIX) :]))


def latest_checkpoint(directory: str | os.PathLike, notify=None) -> Path:
    """The newest intact checkpoint; each corrupt newer one is skipped and reported.

    ``notify(message)`` reports a skipped checkpoint; by default it is a
    ``CheckpointWarning``. ``ganzoo train`` and the CLI print it on stderr
    instead, where no warnings filter can hide it.
    """
    candidates = list_checkpoints(directory)
    for checkpoint in reversed(candidates):
        problem = verify(checkpoint)
        if problem is None:
            return checkpoint
        message = f"checkpoint {checkpoint} is unusable ({problem}); trying an older one"
        if notify is None:
            warnings.warn(message, CheckpointWarning, stacklevel=2)
        else:
            notify(f"warning: {message}")
    raise GanzooError(
        f"no intact checkpoint in {directory}; a run writes one every "
        "--checkpoint-every steps and when it stops"
    )


def load_checkpoint(checkpoint: str | os.PathLike):
    """(gan, state) from a checkpoint directory (verified first)."""
    checkpoint = Path(checkpoint)
    if checkpoint.is_file() and checkpoint.suffix == ".keras":
        return _load_model(checkpoint), {}
    if not checkpoint.is_dir():
        raise GanzooError(f"checkpoint {checkpoint} does not exist")
    problem = verify(checkpoint)
    if problem:
        raise GanzooError(f"checkpoint {checkpoint} is corrupt: {problem}")
    try:
        state = json.loads((checkpoint / "state.json").read_text())
    except ValueError:
        state = None
    if not isinstance(state, dict) or not isinstance(state.get("step", 0), int):
        raise GanzooError(f"{checkpoint / 'state.json'} is not a checkpoint state this "
                          "ganzoo can read; resume from an older checkpoint or start a new run")
    if state.get("format", FORMAT) > FORMAT:
        raise GanzooError(
            f"checkpoint {checkpoint} was written by a newer ganzoo (checkpoint format "
            f"{state['format']}, this one reads up to {FORMAT}); upgrade ganzoo to resume it")
    return _load_model(checkpoint / "gan.keras"), state


def _load_model(path: Path):
    from ganzoo.api import load

    try:
        return load(path)
    except Exception as exc:  # Keras raises many types for a damaged or foreign file
        raise GanzooError(
            f"{path} is not a loadable ganzoo model ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'unreadable'}); pass a .keras "
            "file or checkpoint that ganzoo train wrote") from None


def recover(directory: str | os.PathLike) -> list[str]:
    """Tidy what a killed writer left; call it only while holding the run's lock.

    A checkpoint being replaced by one of the same step is moved aside as
    ``.old-step-N-PID`` for a moment: if the process died before the new one
    took its name, the intact old one is moved back. Unfinished ``.tmp-*``
    directories and pruned ``.del-*`` ones are removed. Returns what was done, one line each.
    """
    root = Path(directory)
    if not root.is_dir():
        return []
    done = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".old-"):
            name = path.name[len(".old-"):].rsplit("-", 1)[0]
            if not (root / name).exists() and verify(path) is None:
                os.replace(path, root / name)
                done.append(f"restored {root / name}")
                continue
        if path.name.startswith((".old-", ".tmp-", ".del-")):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed unfinished {path}")
    if done:
        fsync_path(root)
    return done


def _prune(root: Path, keep: int) -> None:
    good = [p for p in list_checkpoints(root) if verify(p) is None]
    for old in good[:-keep]:
        # Hidden first, then deleted: a kill during the delete must not leave a
        # half-deleted checkpoint under its visible name (recover() removes it).
        doomed = root / f".del-{old.name}-{os.getpid()}"
        os.replace(old, doomed)
        shutil.rmtree(doomed, ignore_errors=True)

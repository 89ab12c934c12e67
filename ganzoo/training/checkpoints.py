"""Atomic, checksummed checkpoints; the newest good one wins.

A checkpoint is a directory ``checkpoints/step-NNNNNNNN`` holding ``gan.keras``
(networks, EMA, both optimizers, RNG state), ``state.json`` (step, phase) and
``SHA256SUMS.json``. It is written to a hidden temporary directory and renamed
into place, so a crash or a signal never leaves a partial checkpoint under a
real name. The last ``keep`` good checkpoints are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

from ganzoo.errors import GanzooError

PREFIX = "step-"
SUMS = "SHA256SUMS.json"


class CheckpointWarning(UserWarning):
    """A checkpoint was unusable and an older one is used instead."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_checkpoint(gan, directory: str | os.PathLike, state: dict, keep: int = 2) -> Path:
    """Write ``gan`` and ``state`` (must contain ``step``) atomically."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{PREFIX}{int(state['step']):08d}"
    tmp = root / f".tmp-{final.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    gan.save(str(tmp / "gan.keras"))
    (tmp / "state.json").write_text(json.dumps(state, indent=2))
    sums = {name: sha256(tmp / name) for name in ("gan.keras", "state.json")}
    (tmp / SUMS).write_text(json.dumps(sums, indent=2))
    if final.exists():  # the same step saved again (e.g. at the end of a run)
        old = root / f".old-{final.name}-{os.getpid()}"
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
    _prune(root, keep)
    return final


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


def latest_checkpoint(directory: str | os.PathLike) -> Path:
    """The newest intact checkpoint; a corrupt newer one is skipped with a warning."""
    candidates = list_checkpoints(directory)
    for checkpoint in reversed(candidates):
        problem = verify(checkpoint)
        if problem is None:
            return checkpoint
        warnings.warn(
            f"checkpoint {checkpoint} is unusable ({problem}); trying an older one",
            CheckpointWarning,
            stacklevel=2,
        )
    raise GanzooError(
        f"no intact checkpoint in {directory}; a run writes one every "
        "--checkpoint-every steps and when it stops"
    )


def load_checkpoint(checkpoint: str | os.PathLike):
    """(gan, state) from a checkpoint directory (verified first)."""
    from ganzoo.api import load

    checkpoint = Path(checkpoint)
    if checkpoint.is_file() and checkpoint.suffix == ".keras":
        return load(checkpoint), {}
    if not checkpoint.is_dir():
        raise GanzooError(f"checkpoint {checkpoint} does not exist")
    problem = verify(checkpoint)
    if problem:
        raise GanzooError(f"checkpoint {checkpoint} is corrupt: {problem}")
    state = json.loads((checkpoint / "state.json").read_text())
    return load(checkpoint / "gan.keras"), state


def _prune(root: Path, keep: int) -> None:
    good = [p for p in list_checkpoints(root) if verify(p) is None]
    for old in good[:-keep]:
        shutil.rmtree(old, ignore_errors=True)

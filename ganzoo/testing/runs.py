"""Run directories for resume tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ganzoo.training.checkpoints import PREFIX, list_checkpoints


def interrupted_copy(run: str | os.PathLike, destination: str | os.PathLike,
                     step: int) -> Path:
    """A copy of the finished run ``run`` as if its process had died right after checkpoint ``step``.

    The final ``gan.keras`` and ``generator.keras`` and every later checkpoint
    are left out, so ``ganzoo train --resume destination`` trains the rest
    again; comparing it with ``run`` tests the resume.
    """
    destination = Path(shutil.copytree(run, destination))
    for name in ("gan.keras", "generator.keras"):
        (destination / name).unlink(missing_ok=True)
    for checkpoint in list_checkpoints(destination / "checkpoints"):
        if int(checkpoint.name[len(PREFIX):]) > step:
            shutil.rmtree(checkpoint)
    return destination

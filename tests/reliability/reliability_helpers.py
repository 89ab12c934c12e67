"""Helpers shared by the fault-injection suite (fixtures are in conftest.py)."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

# dcgan at 16x16 with 8 base filters: a step costs milliseconds, so a process's
# time is its start-up.
TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]
TINY_OVERRIDES = {"image_size": 16, "batch_size": 8, "base_filters": 8}


def invoke(*args):
    """``ganzoo ARGS`` in this process; returns Click's result."""
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def hashes(root) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative path -> digest)."""
    root = Path(root)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def ganzoo_process(args, fault=None, cwd=None):
    """A ``ganzoo`` subprocess (Popen), with ``GANZOO_FAULT`` set when ``fault``."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("GANZOO_FAULT", None)
    if fault:
        env["GANZOO_FAULT"] = fault
    return subprocess.Popen([sys.executable, "-m", "ganzoo_cli.main", *map(str, args)],
                            env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def toy_gan():
    """A two-layer GAN on 2-D points: checkpoints of it take milliseconds."""
    from ganzoo.gan import GAN
    from ganzoo.testing.toy import mlp

    gan = GAN(mlp(2, 2), mlp(2, 1), latent_dim=2)
    gan.compile()
    return gan

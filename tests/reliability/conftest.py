"""Shared pieces of the fault-injection suite: tiny data, a CLI runner, file hashes."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

# dcgan at 16x16 with 8 base filters: a step costs milliseconds, so a process's
# time is its start-up.
TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]
TINY_OVERRIDES = {"image_size": 16, "batch_size": 8, "base_filters": 8}


@pytest.fixture(scope="session")
def tiny_npz(tmp_path_factory):
    """48 unlabelled 16x16 grayscale images as an .npz dataset."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    np.savez(path, images=rng.integers(0, 256, (48, 16, 16, 1), dtype="uint8"))
    return str(path)


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


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory, tiny_npz):
    """A finished 4-step tiny dcgan run (checkpoints at steps 2 and 4); copy before changing."""
    from ganzoo.training import TrainingSpec, train

    path = tmp_path_factory.mktemp("runs") / "finished"
    train(TrainingSpec("dcgan", tiny_npz, dict(TINY_OVERRIDES), steps=4, checkpoint_every=2),
          path, verbose=0)
    return path


@pytest.fixture
def run_copy(finished_run, tmp_path):
    """A private copy of ``finished_run``."""
    import shutil

    return Path(shutil.copytree(finished_run, tmp_path / "run"))


def toy_gan():
    """A two-layer GAN on 2-D points: checkpoints of it take milliseconds."""
    from ganzoo.gan import GAN
    from ganzoo.testing.toy import mlp

    gan = GAN(mlp(2, 2), mlp(2, 1), latent_dim=2)
    gan.compile()
    return gan

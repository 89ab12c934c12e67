"""Fixtures of the fault-injection suite: tiny data and a finished tiny run."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from reliability_helpers import TINY_OVERRIDES


@pytest.fixture(scope="session")
def tiny_npz(tmp_path_factory):
    """48 unlabelled 16x16 grayscale images as an .npz dataset."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    np.savez(path, images=rng.integers(0, 256, (48, 16, 16, 1), dtype="uint8"))
    return str(path)


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
    return Path(shutil.copytree(finished_run, tmp_path / "run"))

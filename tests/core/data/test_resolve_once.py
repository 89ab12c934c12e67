"""A training run resolves its dataset once and hands the resolved source on.

Resolving (a name through the plugin registry, a path to a reader) happens in
``ganzoo.data.resolve``; for a path it ends in ``source_for_path``, which the
spy counts. The run below reads its data for two evaluations (each reading the
train split and looking for a test split) and for training, new and resumed.
"""

import numpy as np
import pytest

from ganzoo.data import resolve as resolve_module
from ganzoo.metrics import build_classifier, save_classifier
from ganzoo.training import TrainingSpec, train

TINY = {"image_size": 16, "batch_size": 8, "base_filters": 8}


@pytest.fixture
def resolutions(monkeypatch):
    """The paths ``resolve_source`` turned into a dataset source, in order."""
    seen = []
    real = resolve_module.source_for_path

    def spy(path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(resolve_module, "source_for_path", spy)
    return seen


@pytest.mark.slow
def test_a_training_run_resolves_its_dataset_once(tmp_path, resolutions):
    rng = np.random.default_rng(0)
    npz = tmp_path / "tiny.npz"
    np.savez(npz, images=rng.integers(0, 256, (32, 16, 16, 1), dtype="uint8"))
    weights = save_classifier(build_classifier((16, 16, 1), 3), tmp_path / "clf.keras")
    spec = TrainingSpec("dcgan", str(npz), dict(TINY), steps=4, checkpoint_every=2,
                        eval_every=2, eval_num_samples=16, eval_weights=str(weights))
    run = train(spec, tmp_path / "run", verbose=0)
    evals = [line for line in run.metrics_file.read_text().splitlines() if '"eval"' in line]
    assert len(evals) == 2  # the data was read for two evaluations and for training...
    assert resolutions == [npz]  # ...and resolved once
    resolutions.clear()
    train(run_dir=run.path, resume=True, total_steps=6, verbose=0)
    assert resolutions == [npz]

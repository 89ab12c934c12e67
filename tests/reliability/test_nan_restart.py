"""``--max-restarts``: a NaN sends the run back to its last checkpoint, slower, past the batch."""

import json

import keras
import numpy as np
import pytest
from keras import ops
from reliability_helpers import TINY, TINY_OVERRIDES, invoke

from ganzoo.api import get_architecture
from ganzoo.training import list_checkpoints, trainer


@pytest.fixture
def poison(monkeypatch):
    """``poison({i, ...})``: the data stream's batches at those indices become NaN."""

    def install(indices):
        real = trainer.batch_stream

        def dataset(source, spec, config, size, batch, seed, skip, strategy=None):
            stream = real(source, spec, config, size, batch, seed, skip, strategy)

            def batches():
                for index, images in enumerate(stream, start=skip):
                    images = np.asarray(images)
                    yield (np.full_like(images, np.nan) if index in indices else images,)

            return batches()

        monkeypatch.setattr(trainer, "batch_stream", dataset)

    return install


def events(run):
    lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    return [x for x in lines if x.get("event") == "restart"]


def learning_rates(gan):
    return [float(ops.convert_to_numpy(o.learning_rate)) for o in (gan.g_optimizer,
                                                                    gan.d_optimizer)]


def test_nan_restarts_from_checkpoint_with_lower_rates(tmp_path, tiny_npz, poison):
    poison({3})  # the batch of step 4
    run = tmp_path / "run"
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 6,
                    "--checkpoint-every", 2, "--max-restarts", 1, "--restart-lr-factor",
                    0.25, "--run-dir", run, *TINY)
    assert result.exit_code == 0, result.output
    (event,) = events(run)
    assert event["step"] == 4 and event["from_step"] == 2 and event["restart"] == 1
    assert event["skipped_batches"] == 2 and "d_loss became nan" in event["reason"]
    gan = keras.saving.load_model(run / "gan.keras")
    assert int(ops.convert_to_numpy(gan.step_counter)) == 6
    fresh = get_architecture("dcgan").build(
        get_architecture("dcgan").make_config(**TINY_OVERRIDES, channels=1))
    expected = [0.25 * rate for rate in learning_rates(fresh)]
    np.testing.assert_allclose(learning_rates(gan), expected, rtol=1e-6)
    np.testing.assert_allclose([event["g_lr"], event["d_lr"]], expected, rtol=1e-6)
    assert all(np.isfinite(ops.convert_to_numpy(w)).all() for w in gan.weights)
    state = json.loads((list_checkpoints(run / "checkpoints")[-1] / "state.json").read_text())
    assert state["restarts"] == 1 and state["data_skip"] == 2  # a resume keeps both


def test_restarts_run_out_then_the_run_stops_as_before(tmp_path, tiny_npz, poison):
    poison({3, 5})  # after the restart the stream moves on to batch 5: NaN again
    run = tmp_path / "run"
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 6,
                    "--checkpoint-every", 2, "--max-restarts", 1, "--run-dir", run, *TINY)
    assert result.exit_code == 2
    assert "training stopped: d_loss became nan at step 4" in result.output
    assert len(events(run)) == 1
    assert [p.name for p in list_checkpoints(run / "checkpoints")] == [
        "step-00000000", "step-00000002"]


def test_without_max_restarts_a_nan_stops_the_run(tmp_path, tiny_npz, poison):
    poison({1})
    run = tmp_path / "run"
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 4,
                    "--checkpoint-every", 1, "--run-dir", run, *TINY)
    assert result.exit_code == 2 and "d_loss became nan at step 2" in result.output
    assert [p.name for p in list_checkpoints(run / "checkpoints")] == ["step-00000001"]
    assert not events(run)

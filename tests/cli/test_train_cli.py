"""train -> sample -> interpolate through the CLI; resume; signals; bad input."""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from keras import ops

from ganzoo.testing import interrupted_copy
from ganzoo.training import latest_checkpoint, list_checkpoints, load_checkpoint
from ganzoo.training.checkpoints import verify

TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def weights(gan):
    return [np.asarray(ops.convert_to_numpy(v)) for v in gan.weights]


@pytest.mark.slow
def test_train_sample_interpolate(tmp_path, tiny_npz):
    run = tmp_path / "run"
    result = invoke("train", "--arch", "cgan", "--dataset", tiny_npz, "--steps", 4,
                    "--checkpoint-every", 2, "--sample-every", 2, "--run-dir", run, *TINY)
    assert result.exit_code == 0, result.output
    assert (run / "config.yaml").is_file() and (run / "generator.keras").is_file()
    assert sorted(p.name for p in (run / "samples").iterdir()) == [
        "step_00000002.png", "step_00000004.png"]
    assert [p.name for p in list_checkpoints(run / "checkpoints")] == [
        "step-00000002", "step-00000004"]
    lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert lines[-1]["step"] == 4 and np.isfinite(lines[-1]["d_loss"])

    result = invoke("sample", "--run", run, "--num", 6, "--class", 2, "--out", tmp_path / "s.npz")
    assert result.exit_code == 0, result.output
    arrays = np.load(tmp_path / "s.npz")
    assert arrays["images"].shape == (6, 16, 16, 1) and arrays["images"].dtype == np.uint8
    assert (arrays["labels"] == 2).all()

    # Without --class a conditional grid has one row per class (3 rows of 2).
    result = invoke("sample", "--run", run, "--num", 6, "--out", tmp_path / "g.png")
    assert result.exit_code == 0, result.output
    from PIL import Image

    assert Image.open(tmp_path / "g.png").size == (2 * 18 + 2, 3 * 18 + 2)

    # A truncation sweep: one row per value, the same latents in every row.
    result = invoke("sample", "--run", run, "--num", 9, "--class", 1,
                    "--truncation-sweep", "5,5,0.05", "--out", tmp_path / "sweep.png")
    assert result.exit_code == 0, result.output
    sweep = np.asarray(Image.open(tmp_path / "sweep.png"))
    rows = [sweep[2 + 18 * r: 18 * (r + 1), :] for r in range(3)]
    assert sweep.shape == (3 * 18 + 2, 3 * 18 + 2)
    assert np.array_equal(rows[0], rows[1]) and not np.array_equal(rows[0], rows[2])
    result = invoke("sample", "--run", run, "--truncation-sweep", "1,-1",
                    "--out", tmp_path / "bad.png")
    assert result.exit_code != 0 and "every value must be a number > 0" in result.output

    result = invoke("interpolate", "--run", run, "--seeds", "1,2", "--steps", 4,
                    "--spherical", "--out", tmp_path / "strip.png")
    assert result.exit_code == 0, result.output
    assert Image.open(tmp_path / "strip.png").size[0] > 4 * 16


@pytest.mark.slow
def test_resume_matches_uninterrupted_run(tmp_path, tiny_npz):
    from ganzoo.training import RunDir, TrainingSpec, train

    spec = TrainingSpec("dcgan", tiny_npz, {"image_size": 16, "batch_size": 8,
                                            "base_filters": 8}, steps=8, checkpoint_every=4)
    straight = train(spec, tmp_path / "straight", verbose=0)
    stopped = RunDir(interrupted_copy(straight.path, tmp_path / "stopped", step=4))
    assert latest_checkpoint(stopped.checkpoints).name == "step-00000004"
    train(run_dir=stopped.path, resume=True, verbose=0)
    # A finished 4-step run given a new total of 8 on resume.
    short = train(dataclasses.replace(spec, steps=4), tmp_path / "extended", verbose=0)
    result = invoke("train", "--resume", short.path, "--steps", 2)
    assert result.exit_code == 2 and "below step 4" in result.output
    result = invoke("train", "--resume", short.path, "--steps", 8, "-q")
    assert result.exit_code == 0, result.output
    assert short.read_config()["total_steps"] == 8
    a = keras.saving.load_model(straight.gan_file)
    for run in (stopped, short):
        b = keras.saving.load_model(run.gan_file)
        assert int(ops.convert_to_numpy(b.step_counter)) == 8
        for x, y in zip(weights(a), weights(b), strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def test_corrupt_newest_checkpoint_falls_back(tmp_path):
    from ganzoo.gan import GAN
    from ganzoo.testing.toy import mlp
    from ganzoo.training import save_checkpoint

    gan = GAN(mlp(2, 2), mlp(2, 1), latent_dim=2)
    gan.compile()
    for step in (1, 2, 3):
        save_checkpoint(gan, tmp_path, {"step": step})
    assert [p.name for p in list_checkpoints(tmp_path)] == ["step-00000002", "step-00000003"]
    with open(tmp_path / "step-00000003" / "gan.keras", "r+b") as f:
        f.write(b"garbage")
    with pytest.warns(UserWarning, match="step-00000003 is unusable"):
        assert latest_checkpoint(tmp_path).name == "step-00000002"
    from ganzoo.errors import GanzooError

    with pytest.raises(GanzooError, match="corrupt"):
        load_checkpoint(tmp_path / "step-00000003")


@pytest.mark.slow
def test_sigterm_writes_a_complete_checkpoint(tmp_path, tiny_npz):
    run = tmp_path / "run"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ganzoo_cli.main", "train", "--arch", "dcgan", "--dataset",
         tiny_npz, "--steps", "100000", "--checkpoint-every", "3", "--run-dir", str(run), *TINY],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.time() + 240
    while time.time() < deadline and not list_checkpoints(run / "checkpoints"):
        if proc.poll() is not None:
            pytest.fail(f"training exited early: {proc.communicate()[1][-2000:]}")
        time.sleep(0.5)
    assert list_checkpoints(run / "checkpoints"), "no checkpoint appeared"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 130, stderr[-2000:]
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    leftovers = [p.name for p in (run / "checkpoints").iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers
    for checkpoint in list_checkpoints(run / "checkpoints"):
        assert verify(checkpoint) is None
    gan, state = load_checkpoint(latest_checkpoint(run / "checkpoints"))
    assert int(ops.convert_to_numpy(gan.step_counter)) == state["step"] > 0


def test_nan_stops_naming_step_and_network(tmp_path, tiny_npz, monkeypatch):
    import ganzoo
    from ganzoo.losses import AdversarialLoss, non_saturating_g
    from ganzoo.plugins import get_plugin_manager

    def nan_d_loss(real, fake, label_smoothing=0.0):
        return ops.log(ops.mean(real) * 0.0 - 1.0)  # log(-1) = nan

    base = ganzoo.get_architecture("dcgan")

    def build(config):
        gan = base.build(config)
        gan.compile(loss=AdversarialLoss("nan", nan_d_loss, non_saturating_g))
        return gan

    class NaNPlugin:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            register(ganzoo.Architecture("nan-gan", "diverges", "-",
                                         base.config_class, build))

    manager = get_plugin_manager()
    manager.register(NaNPlugin(), name="nan-plugin")
    try:
        result = invoke("train", "--arch", "nan-gan", "--dataset", tiny_npz, "--steps", 5,
                        "--checkpoint-every", 1, "--run-dir", tmp_path / "run", *TINY)
    finally:
        manager.unregister("nan-plugin")
    assert result.exit_code == 2
    assert "d_loss became nan at step 1: the discriminator diverged" in result.output
    assert list_checkpoints(tmp_path / "run" / "checkpoints") == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--arch", "dcgn"], "did you mean 'dcgan'"),
        (["--arch", "dcgan", "--set", "widht=3"], "unknown config key"),
        (["--arch", "dcgan", "--set", "image_size=24"], "power of two"),
        (["--arch", "dcgan", "--epochs", "1"], "not both"),
        (["--arch", "mlp2d"], "does not generate images"),
        (["--arch", "dcgan", "--batch-size", "-3"], "--batch-size must be positive"),
    ],
)
def test_bad_train_input_is_one_line(tmp_path, tiny_npz, args, message):
    result = invoke("train", "--dataset", tiny_npz, "--steps", 2, "--run-dir", tmp_path / "r",
                    *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r" / "checkpoints").exists()


def test_missing_dataset_and_run_errors(tmp_path):
    result = invoke("train", "--arch", "dcgan", "--dataset", tmp_path / "none.npz", "--steps", 2)
    assert result.exit_code == 2 and "none.npz" in result.output
    result = invoke("sample", "--run", tmp_path, "--out", tmp_path / "x.png")
    assert result.exit_code == 2 and "not a ganzoo run directory" in result.output
    result = invoke("sample", "--run", tmp_path, "--out", tmp_path / "x.jpg")
    assert result.exit_code == 2 and ".png" in result.output


def test_existing_run_dir_is_not_overwritten(tmp_path, tiny_npz):
    (tmp_path / "keep.txt").write_text("precious")
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 2,
                    "--run-dir", tmp_path)
    assert result.exit_code == 2 and "--resume" in result.output
    assert (tmp_path / "keep.txt").read_text() == "precious"


def test_sample_ema_or_raw_generator(tmp_path):
    from ganzoo.gan import GAN
    from ganzoo.pixels import to_uint8
    from ganzoo.testing.toy import mlp

    gan = GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0, use_ema=True)
    gan.compile()
    for w in gan.ema_generator.weights:  # an average that differs from the live weights
        w.assign(w * 0.5)
    path = tmp_path / "ema.keras"
    gan.save(path)
    for flag, use_ema in (("--ema", True), ("--no-ema", False)):
        out = tmp_path / f"{use_ema}.npz"
        result = invoke("sample", "--checkpoint", path, "--num", 5, flag, "--out", out)
        assert result.exit_code == 0, result.output
        expected = to_uint8(gan.generate(5, seed=0, use_ema=use_ema))
        np.testing.assert_array_equal(np.load(out)["images"], expected)
    assert not np.array_equal(np.load(tmp_path / "True.npz")["images"],
                              np.load(tmp_path / "False.npz")["images"])

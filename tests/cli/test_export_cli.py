"""ganzoo export: the generator as a .keras file or SavedModel that reloads without ganzoo."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import TINY
from ganzoo_cli.main import cli

from ganzoo.gan import GAN
from ganzoo.testing.toy import mlp


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def ema_checkpoint(tmp_path):
    """A saved toy GAN whose EMA generator differs from the raw one."""
    gan = GAN(mlp(3, 2, name="g"), mlp(2, 1, name="d"), latent_dim=3, seed=0, use_ema=True)
    gan.compile()
    for w in gan.ema_generator.weights:
        w.assign(w * 0.5)
    path = tmp_path / "gan.keras"
    gan.save(path)
    return gan, path


def test_export_keras_ema_by_default_or_raw(tmp_path, ema_checkpoint):
    gan, path = ema_checkpoint
    z = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    outputs = {}
    for flags, use_ema in (([], True), (["--no-ema"], False)):
        out = tmp_path / f"{use_ema}.keras"
        result = invoke("export", "--checkpoint", path, *flags, "--out", out)
        assert result.exit_code == 0, result.output
        assert "reloads with Keras alone" in result.output
        assert "input: z float32 (n, 3)" in result.output
        model = keras.saving.load_model(out)
        outputs[use_ema] = keras.ops.convert_to_numpy(model(z))
        np.testing.assert_allclose(outputs[use_ema],
                                   gan.generate_from_latents(z, use_ema=use_ema), atol=1e-6)
    assert "generator: EMA" in invoke("export", "--checkpoint", path, "--out",
                                      tmp_path / "again.keras").output
    assert not np.allclose(outputs[True], outputs[False])


RELOAD = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    inputs = np.load(sys.argv[2])
    model = keras.saving.load_model(sys.argv[1])
    images = keras.ops.convert_to_numpy(model([inputs["z"], inputs["labels"]]))
    np.save(sys.argv[3], images)
    assert not [m for m in sys.modules if m.startswith("ganzoo")], "ganzoo was imported"
""")


@pytest.mark.slow
def test_export_run_reloads_with_keras_alone(tmp_path, tiny_npz):
    from ganzoo_cli.run_loading import load_run_gan

    run = tmp_path / "run"
    result = invoke("train", "--arch", "cgan", "--dataset", tiny_npz, "--steps", 1,
                    "--run-dir", run, *TINY)
    assert result.exit_code == 0, result.output
    out = tmp_path / "cgan.keras"
    result = invoke("export", "--run", run, "--out", out)
    assert result.exit_code == 0, result.output
    assert "input: [z float32 (n, 100), labels int32 (n,) in 0..2]" in result.output
    assert "output: images (n, 16, 16, 1) in [-1, 1] (NHWC)" in result.output

    z = np.random.default_rng(2).normal(size=(4, 100)).astype("float32")
    labels = np.array([0, 1, 2, 1], dtype="int32")
    np.savez(tmp_path / "inputs.npz", z=z, labels=labels)
    env = {**os.environ, "PYTHONPATH": ""}
    proc = subprocess.run([sys.executable, "-c", RELOAD, str(out), str(tmp_path / "inputs.npz"),
                           str(tmp_path / "images.npy")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    images = np.load(tmp_path / "images.npy")
    expected = load_run_gan(str(run), None).generate_from_latents(z, labels)
    assert images.shape == (4, 16, 16, 1) and np.abs(images).max() <= 1.0
    np.testing.assert_allclose(images, expected, atol=1e-5)


def test_export_savedmodel(tmp_path, ema_checkpoint):
    gan, path = ema_checkpoint
    out = tmp_path / "saved"
    result = invoke("export", "--checkpoint", path, "--format", "savedmodel", "--out", out)
    if keras.backend.backend() != "tensorflow":
        assert result.exit_code == 2
        assert "--format savedmodel needs the TensorFlow backend" in result.output
        assert not out.exists()
        return
    assert result.exit_code == 0, result.output
    import tensorflow as tf

    z = np.random.default_rng(3).normal(size=(4, 3)).astype("float32")
    loaded = tf.saved_model.load(str(out))  # kept: its variables die with it
    served = loaded.serve(tf.constant(z)).numpy()
    np.testing.assert_allclose(served, gan.generate_from_latents(z), atol=1e-6)


@pytest.mark.parametrize("args, message", [
    (["--out", "x.png"], "name it FILE.keras"),
    (["--format", "savedmodel", "--out", "x.keras"], "writes a directory"),
    (["--out", "x.keras"], "give --run RUN_DIR"),
    (["--out", "missing/x.keras"], "does not exist; create it first"),
])
def test_export_bad_input_is_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_export_savedmodel_refuses_existing_dir(tmp_path, ema_checkpoint):
    _, path = ema_checkpoint
    (tmp_path / "keep").mkdir()
    result = invoke("export", "--checkpoint", path, "--format", "savedmodel",
                    "--out", tmp_path / "keep")
    assert result.exit_code == 2 and "exists" in result.output


def test_custom_classes_names_what_reloading_needs():
    from ganzoo_cli.export_model import custom_classes

    from ganzoo.layers import PixelNormalization

    inner = keras.Sequential([keras.Input((4,)), PixelNormalization()], name="inner")
    z = keras.Input((4,))
    model = keras.Model(z, keras.layers.Dense(2)(inner(z)))
    assert custom_classes(model) == ["ganzoo.layers.pixel_norm.PixelNormalization"]
    assert custom_classes(mlp(2, 2)) == []

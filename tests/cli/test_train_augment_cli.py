"""``ganzoo train --diffaugment / --ada / --subset``: flags, errors, resume with p."""


import keras
import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from keras import ops

from ganzoo.data import make_dataset
from ganzoo.data.pipeline import subset_indices, subset_size
from ganzoo.errors import DataError
from ganzoo.testing import interrupted_copy
from ganzoo.training import latest_checkpoint

TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("args, message", [
    (["--diffaugment", "color", "--ada"], "give one"),
    (["--ada", "high"], "TARGET must be a number"),
    (["--ada", "1.5"], "must be in [0, 1]"),
    (["--apa", "high"], "--apa high: TARGET must be a number"),
    (["--apa", "1.5"], "APA target=1.5 must be in [0, 1]"),
    (["--diffaugment", "colour"], "unknown DiffAugment policy 'colour'"),
    (["--subset", "0"], "at least 1"),
    (["--subset", "1.5"], "must be in (0, 1]"),
    (["--subset", "some"], "give a fraction"),
    (["--subset", "100"], "the data has 48"),
])
def test_bad_augmentation_and_subset_options_are_one_line_errors(tmp_path, tiny_npz, args,
                                                                 message):
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 1,
                    "--run-dir", tmp_path / "run", *TINY, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_apa_composes_with_ada_or_diffaugment():
    from ganzoo_cli.train_cmd import _d_augment

    assert _d_augment(None, "0.6", "0.7") == "ada:0.6+apa:0.7"
    assert _d_augment("color", None, "0.6") == "diffaugment:color+apa:0.6"
    assert _d_augment(None, None, "0.5") == "apa:0.5"
    assert _d_augment(None, None, None) is None


@pytest.mark.slow
def test_a_run_with_apa_logs_and_saves_its_p(tmp_path, tiny_npz):
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 2,
                    "--run-dir", tmp_path / "run", "--diffaugment", "color", "--apa", *TINY)
    assert result.exit_code == 0, result.output
    import yaml

    config = yaml.safe_load((tmp_path / "run" / "config.yaml").read_text())
    assert config["spec"]["d_augment"] == "diffaugment:color+apa:0.6"
    gan = keras.saving.load_model(tmp_path / "run" / "gan.keras")
    assert [type(m).__name__ for m in gan.augment.pipelines] == ["DiffAugment", "APA"]
    assert '"apa_p"' in (tmp_path / "run" / "metrics.jsonl").read_text()


def test_resume_refuses_new_augmentation_options(tmp_path):
    result = invoke("train", "--resume", tmp_path, "--ada")
    assert result.exit_code == 2 and "--ada" in result.output


@pytest.mark.slow
def test_ada_run_records_its_options_and_resumes_with_the_same_p(tmp_path, tiny_npz):
    args = ["--arch", "dcgan", "--dataset", tiny_npz, "--steps", 8, "--checkpoint-every", 4,
            "--ada", "0.6", "--subset", "0.5", *TINY]
    result = invoke("train", "--run-dir", tmp_path / "straight", *args)
    assert result.exit_code == 0, result.output
    stopped = interrupted_copy(tmp_path / "straight", tmp_path / "stopped", step=4)
    assert latest_checkpoint(stopped / "checkpoints").name == "step-00000004"
    result = invoke("train", "--resume", stopped)
    assert result.exit_code == 0, result.output

    import yaml

    config = yaml.safe_load((stopped / "config.yaml").read_text())
    assert config["spec"]["d_augment"] == "ada:0.6" and config["spec"]["subset"] == 0.5
    assert config["examples_per_epoch"] == 24
    a = keras.saving.load_model(tmp_path / "straight" / "gan.keras")
    b = keras.saving.load_model(stopped / "gan.keras")
    assert type(a.augment).__name__ == "ADA" and a.augment.target == 0.6
    assert float(numpy(b.augment.p)) == float(numpy(a.augment.p))
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(numpy(x), numpy(y), rtol=1e-5, atol=1e-6)
    metrics = (stopped / "metrics.jsonl").read_text()
    assert '"augment_p"' in metrics and '"augment_rt"' in metrics


def test_subset_sizes_and_the_same_images_for_the_same_seed():
    assert subset_size(60000, 0.1) == 6000 and subset_size(60000, 6000) == 6000
    assert subset_size(10, 1.0) == 10 and subset_size(10, 0.01) == 1
    with pytest.raises(DataError, match="the data has 10"):
        subset_size(10, 11)
    with pytest.raises(DataError, match="fraction"):
        subset_size(10, "half")
    a, b = subset_indices(100, 0.3, seed=1), subset_indices(100, 0.3, seed=1)
    assert len(a) == 30 and len(set(a.tolist())) == 30 and np.array_equal(a, b)
    assert not np.array_equal(a, subset_indices(100, 0.3, seed=2))


def test_make_dataset_subset_yields_only_the_chosen_images(tmp_path):
    pytest.importorskip("tensorflow")
    images = np.arange(20, dtype="uint8").reshape(20, 1, 1, 1) * 10
    np.save(tmp_path / "x.npy", images)
    ds = make_dataset(str(tmp_path / "x.npy"), batch_size=1, subset=5, subset_seed=3,
                      repeat=False, seed=0)
    seen = sorted(round((float(np.asarray(x).ravel()[0]) + 1) * 127.5) for x in ds)
    assert seen == sorted((subset_indices(20, 5, 3) * 10).tolist())


def test_augment_is_the_old_name_of_real_transforms(tmp_path, tiny_npz):
    # --augment (real-data flips...) was renamed apart from D-augmentation; it still works.
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 1,
                    "--run-dir", tmp_path / "run", *TINY, "--augment", "flipp")
    assert result.exit_code == 2, result.output
    assert "--augment is deprecated; use --real-transforms flipp" in result.output
    assert "unknown real-data transform 'flipp'; did you mean 'flip'" in result.output
    assert not (tmp_path / "run").exists()  # refused before the run started


def test_a_run_saved_with_augment_still_resumes_its_real_transforms(tmp_path):
    from ganzoo.training import RunDir
    from ganzoo.training.training_spec import spec_from_config

    saved = {"spec": {"arch": "dcgan", "dataset": "x.npz", "steps": 4, "augment": ["flip"]}}
    spec = spec_from_config(RunDir(tmp_path), saved)
    assert spec.real_transforms == ("flip",)


def test_a_preset_may_still_say_augment(monkeypatch):
    import click
    from ganzoo_cli import presets

    import ganzoo

    class Preset:
        config, train = {}, {"augment": ["flip", "translate"]}

    class Arch:
        name = "dcgan"

    monkeypatch.setattr(ganzoo, "get_preset", lambda name: (Arch, Preset))
    ctx = click.Context(click.Command("train"))
    params = {"arch": None}
    presets.apply_preset(ctx, "old", params)
    assert params["real_transforms"] == "flip,translate"

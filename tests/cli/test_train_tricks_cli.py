"""``ganzoo train --regularizer / --topk / --freeze-d / --logan`` and the same settings
in presets."""

import contextlib
import dataclasses

import keras
import pytest
import yaml
from click.testing import CliRunner
from ganzoo_cli.main import cli

import ganzoo
from ganzoo.architecture import preset
from ganzoo.plugins import get_plugin_manager
from ganzoo.tricks.latent_optimization import to_latent_optimization

TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("args, message", [
    (["--regularizer", "lecan"], "unknown regularizer 'lecan'; did you mean 'lecam'?"),
    (["--regularizer", "lecam:beta=1"], "regularizer 'lecam' takes weight, interval, decay, start"),
    (["--regularizer", "cr:weight"], "write options as key=value"),
    (["--topk", "gamma=0.9"], "topk takes decay, min_fraction, decay_every; got gamma"),
    (["--freeze-d", "-1"], "-1 is not in the range x>=0"),
    (["--logan", "gamma=0.9"], "latent_optimization takes alpha, beta, rate, steps"),
    (["--logan", "steps=0"], "latent_optimization steps=0: use a whole number >= 1"),
])
def test_bad_trick_options_are_one_line_errors(tmp_path, tiny_npz, args, message):
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 1,
                    "--run-dir", tmp_path / "run", *TINY, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_resume_refuses_new_trick_options(tmp_path):
    result = invoke("train", "--resume", tmp_path, "--regularizer", "cr", "--freeze-d", 1,
                    "--logan")
    assert result.exit_code == 2
    assert all(o in result.output for o in ("--regularizer", "--freeze-d", "--logan"))


def test_preset_keywords_for_tricks_are_training_settings():
    made = preset("x-1", "d", batch_size=8, regularizers=("cr",), topk=True, freeze_d=2, depth=3,
                  latent_optimization="steps=2")
    assert made.config == {"depth": 3}
    assert made.train == {"batch_size": 8, "regularizers": ("cr",), "topk": True, "freeze_d": 2,
                          "latent_optimization": "steps=2"}


@contextlib.contextmanager
def registered(made):
    """Architecture 'trickdcgan' (dcgan) with the one preset ``made``, while in the block."""
    arch = dataclasses.replace(ganzoo.get_architecture("dcgan"), name="trickdcgan",
                               presets=(made,))

    class PresetPlugin:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            register(arch)

    manager = get_plugin_manager()
    manager.register(PresetPlugin(), name="tricks-preset-plugin")
    try:
        yield made
    finally:
        manager.unregister("tricks-preset-plugin")


@pytest.fixture
def tricks_preset(tiny_npz):
    """An architecture 'trickdcgan' (dcgan) whose preset adds LeCam and top-k."""
    with registered(preset("trickdcgan-16", "a 16x16 run with LeCam and top-k", batch_size=8,
                           dataset=tiny_npz, steps=1, image_size=16, base_filters=8,
                           regularizers="lecam:start=0", topk="decay=0.5")) as made:
        yield made


@pytest.mark.slow
def test_tricks_from_options_and_preset_reach_the_run(tmp_path, tricks_preset):
    result = invoke("train", "--preset", "trickdcgan-16", "--run-dir", tmp_path / "run", "-q",
                    "--regularizer", "cr:weight=5", "--freeze-d", 1)
    assert result.exit_code == 0, result.output
    spec = yaml.safe_load((tmp_path / "run" / "config.yaml").read_text())["spec"]
    assert spec["regularizers"] == ["cr:weight=5"] and spec["topk"] == "decay=0.5"
    compiled = keras.models.load_model(tmp_path / "run" / "gan.keras").get_compile_config()
    assert [r["name"] for r in compiled["regularizers"]] == ["cr"]
    assert compiled["topk"]["decay"] == 0.5 and compiled["freeze_d"] == 1


def test_logan_option_reaches_the_run_spec_and_its_compile_settings(tmp_path, tiny_npz,
                                                                  monkeypatch):
    """``--logan`` (bare: StudioGAN's settings; or options) and a preset's
    ``latent_optimization`` become the spec's setting and the compile override the run
    builds its GAN with (the run itself is stopped there: a LOGAN step's second-order
    trace takes long to compile)."""
    import ganzoo.training as training

    seen = []

    def record(spec, **kwargs):
        seen.append(spec)
        raise SystemExit(0)

    monkeypatch.setattr(training, "train", record)
    for args, expected in ((["--logan"], "true"), (["--logan", "steps=2,rate=1"],
                                                     "steps=2,rate=1")):
        invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 1,
               "--run-dir", tmp_path / "run", *TINY, *args)
        assert seen[-1].latent_optimization == expected
        assert seen[-1].compile_overrides({})["latent_optimization"] == expected
    with registered(preset("trickdcgan-16", "LOGAN", batch_size=8, dataset=tiny_npz, steps=1,
                           latent_optimization={"alpha": 0.5})):
        invoke("train", "--preset", "trickdcgan-16", "--run-dir", tmp_path / "run", "-q")
        assert seen[-1].latent_optimization == {"alpha": 0.5}
        invoke("train", "--preset", "trickdcgan-16", "--run-dir", tmp_path / "run", "-q",
               "--logan", "steps=2,rate=1")
        assert seen[-1].latent_optimization == "steps=2,rate=1"  # the command line wins
    made = to_latent_optimization(seen[-1].compile_overrides({})["latent_optimization"])
    assert (made.steps, made.rate, made.alpha) == (2, 1.0, 0.9)

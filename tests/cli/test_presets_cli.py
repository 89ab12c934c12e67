"""--preset NAME on ganzoo train, ganzoo list --presets and presets in ganzoo info."""

import dataclasses
import json

import pytest
import yaml
from click.testing import CliRunner
from ganzoo_cli.main import cli

import ganzoo
from ganzoo.architecture import Preset
from ganzoo.plugins import get_plugin_manager


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def tiny_preset(monkeypatch, tiny_npz):
    """An architecture 'tinydcgan' (dcgan's networks) with one preset on the tiny dataset."""
    preset = Preset("tinydcgan-16", "a 16x16 run of a few steps",
                    {"image_size": 16, "base_filters": 8, "kernel_size": 4},
                    {"dataset": tiny_npz, "batch_size": 8, "steps": 2})
    odd = Preset("tinydcgan-odd", "a training setting ganzoo train lacks", {}, {"warmup": 3})
    arch = dataclasses.replace(ganzoo.get_architecture("dcgan"), name="tinydcgan",
                               presets=(preset, odd))

    class PresetPlugin:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            register(arch)

    manager = get_plugin_manager()
    manager.register(PresetPlugin(), name="preset-plugin")
    yield preset
    manager.unregister("preset-plugin")


def test_list_presets(tiny_preset):
    result = invoke("list", "--presets", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["tinydcgan-16"]["arch"] == "tinydcgan"
    assert rows["tinydcgan-16"]["config"]["base_filters"] == 8
    assert rows["tinydcgan-16"]["train"]["steps"] == 2
    table = invoke("list", "--presets").output
    assert "tinydcgan-16" in table and "a 16x16 run of a few steps" in table
    assert "tinydcgan-16" not in invoke("list").output  # architectures only


def test_info_shows_presets(tiny_preset):
    result = invoke("info", "tinydcgan")
    assert result.exit_code == 0, result.output
    assert "tinydcgan-16: a 16x16 run of a few steps" in result.output
    assert "base_filters=8" in result.output and "steps=2" in result.output
    data = json.loads(invoke("info", "tinydcgan", "--json").output)
    assert [p["name"] for p in data["presets"]] == ["tinydcgan-16", "tinydcgan-odd"]


def test_train_preset_with_overrides(tmp_path, tiny_preset):
    run = tmp_path / "run"
    result = invoke("train", "--preset", "tinydcgan-16", "--steps", 3, "--set", "base_filters=4",
                    "--run-dir", run, "-q")
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((run / "config.yaml").read_text())
    assert saved["arch"] == "tinydcgan"
    assert saved["spec"]["dataset"] == tiny_preset.train["dataset"]
    assert saved["total_steps"] == 3  # --steps beats the preset's 2
    config = saved["config"]
    assert (config["image_size"], config["kernel_size"], config["batch_size"]) == (16, 4, 8)
    assert config["base_filters"] == 4  # --set beats the preset's 8


def test_explicit_epochs_replace_preset_steps(tmp_path, tiny_preset):
    run = tmp_path / "run"
    result = invoke("train", "--preset", "tinydcgan-16", "--epochs", 0.2, "--run-dir", run, "-q")
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((run / "config.yaml").read_text())
    assert saved["spec"]["steps"] is None and saved["spec"]["epochs"] == 0.2


@pytest.mark.parametrize("args, message", [
    (["--preset", "tinydcgan-61"], "unknown preset 'tinydcgan-61'; did you mean 'tinydcgan-16'?"),
    (["--preset", "tinydcgan-16", "--arch", "cgan"],
     "preset 'tinydcgan-16' is for architecture 'tinydcgan', not 'cgan'"),
    (["--preset", "tinydcgan-16", "--resume", "runs/x"], "drop --preset"),
    (["--preset", "tinydcgan-odd"], "preset 'tinydcgan-odd' has training settings ganzoo train "
                                    "does not know: warmup"),
])
def test_bad_preset_is_one_line(tmp_path, tiny_preset, args, message):
    result = invoke("train", *args, "--run-dir", tmp_path / "r")
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()

"""ganzoo --version / list / info / plugins and one-line errors."""

import json

import keras
from click.testing import CliRunner
from ganzoo_cli.main import cli

import ganzoo


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and ganzoo.__version__ in result.output


def test_help_has_examples():
    result = invoke("-h")
    assert result.exit_code == 0 and "Examples:" in result.output


def test_list_json_includes_installed_architectures():
    result = invoke("list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {r["name"] for r in rows} == set(ganzoo.list_architectures())
    assert all({"name", "summary", "paper", "plugin"} <= set(r) for r in rows)


def test_info_shows_defaults():
    result = invoke("info", "mlp2d", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["config"]["hidden"] == 128


def test_unknown_architecture_is_one_line_exit_2():
    result = invoke("info", "mlp2")
    assert result.exit_code == 2
    assert "unknown architecture 'mlp2'; did you mean 'mlp2d'?" in result.output
    assert "Traceback" not in result.output


def test_plugins_json_lists_core_and_hooks():
    result = invoke("plugins", "--json")
    assert result.exit_code == 0
    info = {p["name"]: p for p in json.loads(result.output)}
    assert "register_losses" in info["ganzoo"]["hooks"]
    assert info["ganzoo"]["error"] is None


def test_backend_mismatch_is_a_clear_error():
    other = "jax" if keras.backend.backend() == "tensorflow" else "tensorflow"
    result = invoke("--backend", other, "list")
    assert result.exit_code == 2
    assert f"KERAS_BACKEND={other}" in result.output

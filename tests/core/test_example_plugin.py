"""The example third-party plugin is found through its entry point."""

import importlib.metadata

import pytest

import ganzoo
from ganzoo.testing import run_architecture_test


def test_example_plugin_is_installed_and_registered():
    names = [ep.name for ep in importlib.metadata.entry_points(group="ganzoo")]
    assert "mlp2d" in names, "install it: pip install -e examples/ganzoo-mlp2d"
    assert "mlp2d" in ganzoo.list_architectures()


def test_example_plugin_passes_the_conformance_kit(tmp_path):
    run_architecture_test("mlp2d", {"hidden": 16, "d_steps": 2, "r1": 0.1},
                          tmp_dir=str(tmp_path))


def test_example_plugin_config_errors():
    with pytest.raises(ganzoo.ConfigError, match="hiden.*did you mean 'hidden'"):
        ganzoo.build("mlp2d", hiden=3)

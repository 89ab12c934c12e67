"""The example third-party plugin is found through its entry point and passes the kit."""

import importlib.metadata

import keras
import pytest

import ganzoo
from ganzoo.testing import run_architecture_test


def test_example_plugin_is_installed_and_registered():
    names = [ep.name for ep in importlib.metadata.entry_points(group="ganzoo")]
    assert "mlp2d" in names, "install it: pip install -e examples/ganzoo-mlp2d"
    assert "mlp2d" in ganzoo.list_architectures()
    assert "mlp2d_logit_penalty" in ganzoo.list_regularizers()
    assert [p.name for p in ganzoo.get_architecture("mlp2d").presets] == ["mlp2d-ring"]


def test_example_plugin_passes_the_conformance_kit(tmp_path):
    # Its own regularizer is in the saved model, and its author never told Keras about it.
    from ganzoo_mlp2d.regularizers import LogitPenalty

    assert keras.saving.get_registered_name(LogitPenalty) == "LogitPenalty"
    assert keras.saving.get_registered_object("LogitPenalty") is None
    gan = run_architecture_test("mlp2d", {"hidden": 16, "d_steps": 2, "r1": 0.1,
                                          "logit_penalty": 1e-3}, tmp_dir=str(tmp_path))
    assert [type(r).__name__ for r in gan.regularizer_list] == ["R1Penalty", "LogitPenalty"]
    gan.save(tmp_path / "again.keras")
    loaded = ganzoo.load(tmp_path / "again.keras")
    assert [type(r) for r in loaded.regularizer_list][1] is LogitPenalty
    assert loaded.regularizer_list[1].weight == pytest.approx(1e-3)


def test_example_plugin_config_errors():
    with pytest.raises(ganzoo.ConfigError, match="hiden.*did you mean 'hidden'"):
        ganzoo.build("mlp2d", hiden=3)

"""Plugin loading: broken plugins are skipped with their errors kept as data; strict mode fails."""

import os
import subprocess
import sys
import textwrap
import warnings

import pytest

import ganzoo
from ganzoo.architecture import Architecture
from ganzoo.plugins import DEFAULT_PLUGINS, PluginError, PluginManager, PluginWarning


def make_distribution(root, name, module_source):
    """A minimal installed distribution with one ganzoo entry point."""
    (root / f"{name}.py").write_text(textwrap.dedent(module_source))
    info = root / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[ganzoo]\n{name} = {name}\n")


BROKEN_IMPORT = "raise RuntimeError('this plugin is broken')\n"
BROKEN_HOOK = """
import ganzoo

@ganzoo.hookimpl
def register_architectures(register):
    register(ganzoo.Architecture("half-registered", "-", "-", dict, print))
    raise ValueError("hook failed")
"""


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    make_distribution(tmp_path, "broken_import_plugin", BROKEN_IMPORT)
    make_distribution(tmp_path, "broken_hook_plugin", BROKEN_HOOK)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_broken_plugins_warn_and_others_keep_working(plugin_path, monkeypatch):
    monkeypatch.delenv("GANZOO_STRICT_PLUGINS", raising=False)
    with pytest.warns(PluginWarning) as caught:
        manager = PluginManager()
        registries = manager.registries
        assert "half-registered" not in registries.architectures  # all or nothing
    messages = " ".join(str(w.message) for w in caught)
    assert "'broken_import_plugin' failed to load" in messages
    assert "this plugin is broken" in messages
    assert "'broken_hook_plugin' failed to run register_architectures" in messages
    assert "hinge" in registries.losses  # the core still works
    assert manager.info["broken_import_plugin"].error.startswith("RuntimeError")


def test_load_errors_are_data_whatever_the_warnings_filter(plugin_path, monkeypatch):
    monkeypatch.delenv("GANZOO_STRICT_PLUGINS", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # as PYTHONWARNINGS=ignore does
        errors = PluginManager().load_errors()
    assert not caught
    assert errors["broken_import_plugin"] == "RuntimeError: this plugin is broken"
    assert errors["broken_hook_plugin"] == "ValueError: hook failed"
    assert not any(name in errors for name in DEFAULT_PLUGINS)


def test_each_registry_runs_its_hooks_on_first_read():
    calls = []

    class Toy:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            calls.append("architectures")
            register(Architecture("toy", "a toy", "none", dict, print))

        @ganzoo.hookimpl
        def register_losses(self, register):
            calls.append("losses")
            raise ValueError("no losses here")

    manager = PluginManager(load_entry_points=False)
    manager.register(Toy(), name="toy-plugin")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert "toy" in manager.registries.architectures
        assert calls == ["architectures"]  # the losses' hooks (and backends) not yet
        assert manager.load_errors(all_hooks=False) == {}
        errors = manager.load_errors()
    assert calls == ["architectures", "losses"]
    assert errors == {"toy-plugin": "ValueError: no losses here"}
    # All or nothing: the failed plugin's architecture is gone too.
    assert "toy" not in manager.registries.architectures


def test_core_plugins_are_modules_loaded_by_name():
    manager = PluginManager(load_entry_points=False)
    for name, module in DEFAULT_PLUGINS.items():
        assert manager.info[name].module == module
        assert manager.pm.get_plugin(name).__name__ == module
    regs = manager.registries
    assert {"hinge", "wasserstein"} <= set(regs.losses.names())
    assert regs.losses.entry("hinge").plugin == "ganzoo"
    assert regs.datasets.entry("fashion_mnist").plugin == "ganzoo.data"
    assert regs.feature_extractors.entry("inception_v3").plugin == "ganzoo.metrics"
    assert manager.load_errors() == {}


def test_strict_mode_fails_naming_the_plugin(plugin_path, monkeypatch):
    monkeypatch.setenv("GANZOO_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="broken_import_plugin"):
        PluginManager()


def test_allow_list(plugin_path, monkeypatch):
    monkeypatch.setenv("GANZOO_PLUGINS", "nothing-matches")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        manager = PluginManager()
        assert manager.registries.architectures.names() == []


def test_register_plugin_object_directly():
    class Toy:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            register(Architecture("toy", "a toy", "none", dict, lambda c: None))

    manager = PluginManager(load_entry_points=False)
    manager.register(Toy(), name="toy-plugin")
    assert manager.registries.architectures.entry("toy").plugin == "toy-plugin"
    manager.unregister("toy-plugin")
    assert "toy" not in manager.registries.architectures


def cli(args, env_extra, path):
    env = {**os.environ, "PYTHONPATH": str(path), "TF_CPP_MIN_LOG_LEVEL": "3", **env_extra}
    return subprocess.run([sys.executable, "-m", "ganzoo_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=300, cwd=path)


@pytest.mark.slow
def test_cli_list_survives_a_broken_plugin(plugin_path):
    result = cli(["list"], {"GANZOO_STRICT_PLUGINS": "0"}, plugin_path)
    assert result.returncode == 0, result.stderr
    assert "Warning: ganzoo plugin 'broken_import_plugin' failed to load" in result.stderr
    assert "Traceback" not in result.stderr

    strict = cli(["list"], {"GANZOO_STRICT_PLUGINS": "1"}, plugin_path)
    assert strict.returncode == 2
    assert "broken_import_plugin" in strict.stderr and "Traceback" not in strict.stderr

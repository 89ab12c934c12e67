"""Every built-in plugin has the same shape and answers without a backend.

``ganzoo list`` and ``ganzoo info`` read architectures and presets; the
modules an entry point imports (``plugin.py``, ``config.py``) must not import
Keras, TensorFlow or JAX for that.
"""

import importlib.metadata
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ganzoo

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
# Every package has these; the others are the few its networks need.
COMMON_FILES = {"__init__.py", "config.py", "plugin.py", "generator.py"}
OPTIONAL_FILES = {"discriminator.py", "blocks.py", "layers.py", "gan.py", "resample.py", "schedule.py",
                  "importer.py"}  # importer.py: a register_importers hook's mapping

# Runs in a fresh interpreter in which importing a backend raises. The
# ``ganzoo`` package is entered without its __init__ (which re-exports the
# model and so imports Keras): what is checked is the plugin modules, and
# the core modules they name.
PROBE = textwrap.dedent("""
    import importlib.abc, importlib.metadata, json, sys, types
    from pathlib import Path

    class NoBackend(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("keras", "tensorflow", "jax"):
                raise ImportError(f"{name} imported while loading plugins")

    sys.meta_path.insert(0, NoBackend())
    root = Path(importlib.util.find_spec("ganzoo").origin).parent
    package = types.ModuleType("ganzoo")
    package.__path__ = [str(root)]
    sys.modules["ganzoo"] = package
    from ganzoo.architecture import Architecture
    from ganzoo.hookspecs import hookimpl
    package.hookimpl, package.Architecture = hookimpl, Architecture

    found = {}
    for ep in importlib.metadata.entry_points(group="ganzoo"):
        module = ep.load()
        registered = []
        module.register_architectures(register=registered.append)
        for arch in registered:
            config = arch.make_config()
            found[arch.name] = [p.name for p in arch.presets]
            for preset in arch.presets:
                arch.make_config(**preset.config)
    print(json.dumps(found))
""")


def test_entry_points_import_no_backend():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) == set(ganzoo.list_architectures())
    assert "dcgan-fashion-mnist-32" in found["dcgan"]


def test_built_in_plugins_share_one_file_set():
    packages = sorted(p for p in PLUGINS.iterdir() if (p / "plugin.py").exists())
    assert len(packages) >= 5
    for package in packages:
        files = {f.name for f in package.glob("*.py")}
        assert COMMON_FILES <= files, f"{package.name} lacks {COMMON_FILES - files}"
        assert files <= COMMON_FILES | OPTIONAL_FILES, f"{package.name}: {files}"


def test_one_entry_point_per_package_named_plugin():
    eps = [ep for ep in importlib.metadata.entry_points(group="ganzoo")
           if ep.value.startswith("ganzoo_") and ep.value != "ganzoo_mlp2d.plugin"]
    values = [ep.value for ep in eps]
    assert all(value.endswith(".plugin") for value in values), values
    assert len(values) == len(set(values))


@pytest.mark.slow
def test_a_fresh_process_loads_a_plugin_model(tmp_path):
    # Plugin modules no longer import their networks, so ganzoo.load imports
    # the modules the saved file names (ProGAN's model class, its layers).
    path = tmp_path / "progan.keras"
    ganzoo.build("progan", image_size=8, base_filters=64, max_filters=4,
                 latent_dim=8).save(path)
    code = ("import sys, ganzoo; gan = ganzoo.load(sys.argv[1]); "
            "print(type(gan).__module__, type(gan.generator).__name__)")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["ganzoo_progan.gan", "ProGANGenerator"]

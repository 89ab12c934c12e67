"""Every plugin has the shape docs/writing-a-plugin.md shows and answers without a backend.

The guide's table of files is the rule: every built-in plugin and the
example hold its required files and no file it does not list. Each
``plugin.py`` defines its own ``build`` and ``@hookimpl`` hooks (no helper
writes them). ``ganzoo list`` and ``ganzoo info`` read architectures and
presets; the modules an entry point imports (``plugin.py``, ``config.py``)
must not import Keras, TensorFlow or JAX for that.
"""

import importlib.metadata
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ganzoo

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
EXAMPLE_PACKAGE = ROOT / "examples" / "ganzoo-mlp2d" / "ganzoo_mlp2d"
GUIDE = ROOT / "docs" / "writing-a-plugin.md"


def documented_files() -> tuple[set[str], set[str]]:
    """(required, allowed) file names from the guide's table of files."""
    section = GUIDE.read_text().split("## 2. The files", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w.]+\.py)` \|.*\| (\w+)[^|]* \|$", section, re.M)
    assert len(rows) >= 8, "the guide's table of files was not found"
    return {name for name, needed in rows if needed == "yes"}, {name for name, _ in rows}

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

    found, style = {}, {}
    for ep in importlib.metadata.entry_points(group="ganzoo"):
        module = ep.load()
        registered = []
        hook = module.register_architectures
        hook(register=registered.append)
        # the plugin's own function, marked with @hookimpl, and its own build
        style[ep.value] = [hook.__module__ == module.__name__,
                           hasattr(hook, "ganzoo_impl"),
                           all(arch.build is module.build for arch in registered)]
        for arch in registered:
            config = arch.make_config()
            found[arch.name] = [p.name for p in arch.presets]
            for preset in arch.presets:
                arch.make_config(**preset.config)
    print(json.dumps({"presets": found, "style": style}))
""")


def test_entry_points_import_no_backend():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found["presets"]) == set(ganzoo.list_architectures())
    assert "dcgan-fashion-mnist-32" in found["presets"]["dcgan"]
    # One style: each plugin.py has its own @hookimpl register_architectures and build.
    assert "ganzoo_mlp2d.plugin" in found["style"]
    for plugin, checks in found["style"].items():
        assert checks == [True, True, True], plugin


def test_plugins_hold_exactly_the_documented_files():
    required, allowed = documented_files()
    assert {"__init__.py", "config.py", "generator.py", "discriminator.py",
            "plugin.py"} <= required
    packages = sorted(p for p in PLUGINS.iterdir() if (p / "plugin.py").exists())
    assert len(packages) >= 5
    for package in [*packages, EXAMPLE_PACKAGE]:
        files = {f.name for f in package.glob("*.py")}
        assert required <= files, f"{package.name} lacks {required - files}"
        assert files <= allowed, f"{package.name}: {sorted(files - allowed)} not in the guide"


def test_no_architecture_shortcuts_left():
    # What every plugin writes for itself now; nothing looks a package up by __module__.
    import ganzoo.architecture as architecture

    for name in ("builder", "family", "architectures_hook", "build_gan"):
        assert not hasattr(architecture, name), name


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

"""The example third-party plugin is found through its entry point and passes the kit."""

import importlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

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


# -- docs/writing-a-plugin.md works as written ------------------------------------
ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "writing-a-plugin.md"
EXAMPLE = ROOT / "examples" / "ganzoo-mlp2d"
FILE_LINE = re.compile(r"# (pyproject\.toml|ganzoo_\w+/\w+\.py)")
GUIDE_PLUGIN = "ganzoo_mygan"  # the guide's own plugin, written out by the test


def guide_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE.read_text(), re.M | re.S)


def file_blocks() -> list[tuple[str, str]]:
    """(file, text) of every block whose first line names a file."""
    out = []
    for block in guide_blocks("python") + guide_blocks("toml"):
        first, _, body = block.partition("\n")
        match = FILE_LINE.fullmatch(first)
        if match:
            out.append((match.group(1), body))
    return out


def quoted_file(name: str) -> Path:
    """The file a ``# ganzoo_x/file.py`` first line names: the example's or a built-in's."""
    if name == "pyproject.toml" or name.startswith("ganzoo_mlp2d/"):
        return EXAMPLE / name
    return ROOT / "plugins" / name


def test_guide_quotes_the_example_word_for_word():
    quoted = []
    for name, body in file_blocks():
        if not name.startswith(GUIDE_PLUGIN + "/"):
            assert body in quoted_file(name).read_text(), (
                f"docs/writing-a-plugin.md's {name} differs from the file")
            quoted.append(name)
    assert {"pyproject.toml", "ganzoo_mlp2d/config.py", "ganzoo_mlp2d/plugin.py",
            "ganzoo_mlp2d/regularizers.py", "ganzoo_stylegan2/plugin.py"} <= set(quoted)


def _check_registered(hook_name: str, objects: list) -> None:
    import numpy as np

    from ganzoo.augment import AugmentPipeline
    from ganzoo.data import DatasetSource, LoadRequest
    from ganzoo.losses import AdversarialLoss

    assert len(objects) == 1, hook_name
    obj = objects[0]
    if hook_name == "register_losses":
        assert isinstance(obj, AdversarialLoss)
        real, fake = np.ones(4, "float32"), -np.ones(4, "float32")
        assert float(obj.discriminator(real, fake, 0.0)) == 0.0  # both margins met
        assert float(obj.generator(fake, None)) == 1.0
    elif hook_name == "register_augmentations":
        assert issubclass(obj.obj, AugmentPipeline) and obj.name == obj.obj.spec_name
        pipeline = obj.obj.from_spec("0.5")
        images = np.zeros((3, 8, 8, 1), "float32")
        out = np.asarray(pipeline(images, training=True))
        assert out.shape == images.shape and np.ptp(out) > 0  # per-image offsets
        assert np.abs(out).max() <= 0.25
        assert np.array_equal(np.asarray(pipeline(images, training=False)), images)
        again = obj.obj.from_config(pipeline.get_config())
        assert again.get_config() == pipeline.get_config()
    elif hook_name == "register_datasets":
        assert isinstance(obj, DatasetSource) and obj.name == "checkerboards"
        images, labels = obj.read(LoadRequest(image_size=8, with_labels=True))
        assert images.dtype == np.uint8 and images.shape == (64, 8, 8, 1)
        assert sorted(set(labels.tolist())) == list(range(obj.num_classes))
    else:
        raise AssertionError(f"the guide's {hook_name} is not checked here")


def test_guide_plugin_imports_no_backend_and_its_hooks_register(tmp_path, monkeypatch):
    # The guide's ganzoo_mygan blocks, written out as a package (plugin.py's
    # parts in order), make a plugin that works.
    package = tmp_path / GUIDE_PLUGIN
    package.mkdir()
    (package / "__init__.py").write_text('"""The plugin of docs/writing-a-plugin.md."""\n')
    files: dict[str, list[str]] = {}
    for name, body in file_blocks():
        if name.startswith(GUIDE_PLUGIN + "/"):
            files.setdefault(name.split("/")[1], []).append(body)
    assert {"plugin.py", "losses.py", "augmentations.py", "data.py"} <= set(files)
    for name, parts in files.items():
        (package / name).write_text("\n\n".join(parts))
    probe = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import {GUIDE_PLUGIN}.plugin; "
             "print(sorted(m for m in ('keras', 'tensorflow', 'jax') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    monkeypatch.syspath_prepend(str(tmp_path))
    plugin = importlib.import_module(f"{GUIDE_PLUGIN}.plugin")
    hooks = [n for n, v in vars(plugin).items() if hasattr(v, "ganzoo_impl")]
    assert sorted(hooks) == ["register_augmentations", "register_datasets", "register_losses"]
    for name in hooks:
        objects: list = []
        getattr(plugin, name)(objects.append)
        _check_registered(name, objects)
    for name in list(sys.modules):
        if name.split(".")[0] == GUIDE_PLUGIN:
            del sys.modules[name]


def test_guide_code_runs(tmp_path, monkeypatch):
    # Every other Python block runs as written; the last one builds, fits and
    # samples the example.
    monkeypatch.chdir(tmp_path)
    ran = 0
    for block in guide_blocks("python"):
        if FILE_LINE.fullmatch(block.partition("\n")[0]):
            continue
        namespace: dict = {"__name__": "guide_block"}
        exec(compile(block, str(GUIDE), "exec"), namespace)
        ran += 1
    assert ran == 2  # the conformance-kit test and "Use it"
    assert namespace["points"].shape == (4, 2)

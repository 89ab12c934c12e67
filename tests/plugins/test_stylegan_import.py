"""NVIDIA's StyleGAN (v1) TensorFlow pickles import and reproduce the reference's numbers.

The fixtures in tests/fixtures/stylegan were made by the reference code itself
(make_fixtures.py there: NVlabs/stylegan commit 1e0d5c7, run on TensorFlow
2's ``tf.compat.v1``): a ``(G, D, Gs)`` pickle per config, written by the
reference's ``Network.__getstate__``, with its inputs and outputs. ``res16``
up-samples with separate ops, ``fused16`` with the fused transposed
convolution. Outputs must match within 1e-4 (absolute; images reach |x| ~ 13).
"""

import os
import pickle
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_stylegan.importer import FORMAT, config_kwargs, read, set_generator
from keras import ops

import ganzoo
from ganzoo.errors import ImporterError, UnsafePickleError
from ganzoo.importers import import_file, list_importers
from ganzoo.importers.safe_pickle import load
from ganzoo.pixels import to_uint8

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stylegan"
NAMES = ["res16", "fused16"]
ATOL = 1e-4


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def nchw(x):
    return np.transpose(ops.convert_to_numpy(x), (0, 3, 1, 2))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def outputs(gan, ref):
    """The fixture's outputs computed by ganzoo (NCHW, unclipped, the pickle's noise maps)."""
    ema, generator = gan.ema_generator, gan.generator
    ws = ema.mapping(ref["z"])

    def image(g, w):
        return nchw(g.synthesis(w, noise_mode="const"))

    return {
        "dlatents": ops.convert_to_numpy(ws),
        "img": image(ema, ws),
        "img_psi07": image(ema, ema.mapping.truncate(ws, 0.7)),  # cutoff: the file's 8
        "img_psi07_cut2": image(ema, ema.mapping.truncate(ws, 0.7, 2)),
        "g_img": image(generator, generator.mapping(ref["z"])),
        "scores_real": ops.convert_to_numpy(gan.discriminator(nhwc(ref["reals"]))),
        "scores_fake": ops.convert_to_numpy(gan.discriminator(nhwc(ref["img"]))),
    }


def assert_matches(name, ref, got):
    for key, value in got.items():
        err = float(np.abs(value - ref[key]).max())
        assert value.shape == ref[key].shape, key
        assert err <= ATOL, f"{name} {key}: max |ganzoo - reference| = {err:.2e}"


def test_the_format_is_registered():
    assert FORMAT in list_importers()


@pytest.mark.parametrize("name", NAMES)
def test_imported_gan_reproduces_the_reference(tmp_path, name):
    ref = reference(name)
    out = tmp_path / f"{name}.keras"
    gan = import_file(FORMAT, FIXTURES / f"{name}.pkl", out)
    assert gan.ema_generator.truncation_cutoff == 8
    assert_matches(name, ref, outputs(gan, ref))
    # The written model reproduces them too, and samples as the reference writes
    # images (fixed noise, clipped to [-1, 1]).
    loaded = ganzoo.load(out)
    assert_matches(name, ref, outputs(loaded, ref))
    images = loaded.generate_from_latents(ref["z"], truncation_psi=0.7)
    err = np.abs(nchw(images) - np.clip(ref["img_psi07"], -1, 1)).max()
    assert float(err) <= ATOL


def test_noise_maps_are_the_pickles():
    ref = reference("res16")
    gan = import_file(FORMAT, FIXTURES / "res16.pkl")
    for i, layer in enumerate(gan.ema_generator.synthesis.style_layers):
        np.testing.assert_array_equal(nchw(layer.noise_const), ref[f"noise{i}"])


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_and_sample(tmp_path):
    out = tmp_path / "fused16.keras"
    result = invoke("import", FORMAT, FIXTURES / "fused16.pkl", "--out", out)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    ref = reference("fused16")
    gan = ganzoo.load(out)
    assert_matches("fused16", ref, outputs(gan, ref))
    npz = tmp_path / "s.npz"
    result = invoke("sample", "--checkpoint", out, "--num", 3, "--seed", 5,
                    "--truncation-psi", 0.7, "--out", npz)
    assert result.exit_code == 0, result.output
    expected = gan.generate(3, seed=5, truncation_psi=0.7)
    np.testing.assert_array_equal(np.load(npz)["images"], to_uint8(expected))
    assert FORMAT in invoke("import", "--list").output.splitlines()


# -- what does not import --------------------------------------------------------
def test_growing_snapshot_and_unsupported_options_are_refused():
    nets = read(FIXTURES / "res16.pkl")
    nets["Gs"].variables["lod"] = np.float32(1.0)
    gan = ganzoo.build("stylegan", **config_kwargs(nets))
    with pytest.raises(ImporterError, match="level of detail 1"):
        set_generator(gan.ema_generator, nets["Gs"], "Gs")
    nets["Gs"].static_kwargs["label_size"] = 10
    with pytest.raises(ImporterError, match="label_size=10"):
        config_kwargs(nets)


@pytest.fixture
def fake_dnnlib(monkeypatch):
    """A class that pickles as ``dnnlib.tflib.network.Network`` with a chosen state."""

    class Network:
        def __init__(self, state):
            self.state = state

        def __getstate__(self):
            return self.state

    module = types.ModuleType("dnnlib.tflib.network")
    Network.__module__, Network.__qualname__ = module.__name__, "Network"
    module.Network = Network
    for name in ("dnnlib", "dnnlib.tflib"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return Network


def _as_reference(net, network_class):
    """A TFNetwork stand-in turned back into a pickleable reference-style Network."""
    return network_class({
        "version": 3, "name": net.name, "static_kwargs": net.static_kwargs,
        "components": {k: _as_reference(c, network_class) for k, c in net.components.items()},
        "build_module_src": net.build_module_src, "build_func_name": net.build_func_name,
        "variables": list(net.variables.items())})


def test_a_file_of_gs_alone_imports(tmp_path, fake_dnnlib):
    gs_only = tmp_path / "gs.pkl"
    gs_only.write_bytes(pickle.dumps(_as_reference(read(FIXTURES / "res16.pkl")["Gs"],
                                                   fake_dnnlib), protocol=3))
    gan = import_file(FORMAT, gs_only)
    ref = reference("res16")
    got = outputs(gan, ref)
    for key in ("dlatents", "img", "img_psi07"):
        assert float(np.abs(got[key] - ref[key]).max()) <= ATOL, key
    # G is Gs again.
    np.testing.assert_allclose(got["g_img"], ref["img"], atol=ATOL)


def test_a_malicious_network_pickle_runs_nothing(tmp_path, fake_dnnlib):
    marker = tmp_path / "ran"

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    state = {"version": 3, "name": "Gs", "static_kwargs": {}, "components": {},
             "build_func_name": "G_style", "variables": [("lod", RunsCode())],
             "build_module_src": f"import os\nos.system('touch {marker}')\n"}
    evil = tmp_path / "evil.pkl"
    evil.write_bytes(pickle.dumps(fake_dnnlib(state)))
    with pytest.raises(UnsafePickleError, match="posix.system|nt.system"):
        load(evil)
    # The module source alone is text: read, never run; the import then fails cleanly.
    state["variables"] = [("lod", np.float32(0))]
    harmless = tmp_path / "src.pkl"
    harmless.write_bytes(pickle.dumps((fake_dnnlib(state),)))
    assert "os.system" in load(harmless)[0].build_module_src
    with pytest.raises(ImporterError, match="no mapping and synthesis"):
        import_file(FORMAT, harmless)
    for path in (evil, tmp_path / "notes.pkl"):
        if path.suffix and not path.exists():
            path.write_text("hello")
        result = invoke("import", FORMAT, path, "--out", tmp_path / "m.keras")
        lines = result.output.strip().splitlines()
        assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("Error:")
    assert not marker.exists() and not (tmp_path / "m.keras").exists()


def test_other_pickles_are_one_error_line(tmp_path):
    stylegan2 = FIXTURES.parent / "stylegan2" / "orig16.pkl"
    result = invoke("import", FORMAT, stylegan2, "--out", tmp_path / "m.keras")
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1, result.output
    assert "not a StyleGAN TensorFlow pickle" in lines[0]

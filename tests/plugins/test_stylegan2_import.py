"""stylegan2-ada-pytorch pickles import and reproduce the reference's numbers.

The fixtures in tests/fixtures/stylegan2 were made by the reference code itself
(make_fixtures.py there, commit d72cc7d): a snapshot pickle per config and
its inputs and outputs. Float32 outputs must match within 1e-4 (absolute;
images reach |x| ~ 14, logits ~ 1). With fp16 layers (``fp16_32``) the two
implementations round at different points (the reference pre-normalises its
weights and styles in float16 and demodulates inside the weights; ganzoo
demodulates after the conv), so those outputs match to float16 accuracy:
5e-3 of the largest output value (float16's unit roundoff is 4.9e-4, over
about ten layers); their float32 counterparts (the reference's
``force_fp32=True``, ganzoo's ``force_fp32``) match within 1e-4.
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_stylegan2.importer import FORMAT, load_networks
from keras import ops

import ganzoo
from ganzoo.importers import import_file, list_importers
from ganzoo.pixels import to_uint8

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stylegan2"
UNCONDITIONAL = ["default32", "orig16", "fp16_32"]
ALL = [*UNCONDITIONAL, "cond32"]  # cond32: c_dim 5
ATOL = 1e-4


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def labels_of(ref):
    """ganzoo's integer labels for the fixture's one-hot c (None if unconditional)."""
    return np.argmax(ref["c"], axis=1).astype("int32") if ref["c"].shape[1] else None


def nchw(x):
    return np.transpose(ops.convert_to_numpy(x), (0, 3, 1, 2))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def tolerance(name, ref, key):
    if name == "fp16_32" and not key.endswith("_fp32") and key not in ("ws", "ws_psi07",
                                                                       "g_ws"):
        return 5e-3 * float(np.abs(ref[key]).max())
    return ATOL


def outputs(generator, ema, discriminator, ref, suffix=""):
    """The fixture's outputs, computed by ganzoo's networks (NCHW like the reference)."""
    conditional = generator.num_classes > 0
    z, c = ref["z"], ref["c"]
    inputs = [z, c] if conditional else z

    def d(images):
        return ops.convert_to_numpy(discriminator([images, c] if conditional else images))

    ws = ema.mapping(inputs)
    ws07 = ema.mapping.truncate(ws, 0.7)
    g_ws = generator.mapping(inputs)
    return {
        f"ws{suffix}": ops.convert_to_numpy(ws),
        f"ws_psi07{suffix}": ops.convert_to_numpy(ws07),
        f"img{suffix}": nchw(ema.synthesis(ws, noise_mode="const")),
        f"img_psi07{suffix}": nchw(ema.synthesis(ws07, noise_mode="const")),
        f"g_ws{suffix}": ops.convert_to_numpy(g_ws),
        f"g_img{suffix}": nchw(generator.synthesis(g_ws, noise_mode="const")),
        f"logits_real{suffix}": d(nhwc(ref["reals"])),
        f"logits_fake{suffix}": d(nhwc(ref[f"img{suffix}"])),
    }


def assert_matches(name, ref, got):
    for key, value in got.items():
        atol = tolerance(name, ref, key)
        err = float(np.abs(value - ref[key]).max())
        assert value.shape == ref[key].shape, key
        assert err <= atol, f"{name} {key}: max |ganzoo - reference| = {err:.2e} > {atol:.1e}"


def test_the_format_is_registered():
    assert FORMAT in list_importers()


@pytest.mark.parametrize("name", ALL)
def test_imported_gan_reproduces_the_reference(tmp_path, name):
    ref = reference(name)
    labels = labels_of(ref)
    out = tmp_path / f"{name}.keras"
    gan = import_file(FORMAT, FIXTURES / f"{name}.pkl", out)
    assert gan.ema_generator is not None
    assert gan.num_classes == ref["c"].shape[1]
    got = outputs(gan.generator, gan.ema_generator, gan.discriminator, ref)
    assert_matches(name, ref, got)
    # The written model reproduces them too, and samples as the reference writes
    # images (psi 0.7, const noise, clipped to [-1, 1]); a conditional one with
    # integer labels, through the GAN's own sampling and D.
    loaded = ganzoo.load(out)
    assert loaded.num_classes == gan.num_classes
    assert_matches(name, ref, outputs(loaded.generator, loaded.ema_generator,
                                      loaded.discriminator, ref))
    images = loaded.generate_from_latents(ref["z"], labels, truncation_psi=0.7)
    expected = np.clip(ref["img_psi07"], -1, 1)
    assert float(np.abs(nchw(images) - expected).max()) <= tolerance(name, ref, "img_psi07")
    logits = ops.convert_to_numpy(loaded.discriminator_forward(nhwc(ref["reals"]), labels))
    err = float(np.abs(logits - ref["logits_real"][:, 0]).max())
    assert err <= tolerance(name, ref, "logits_real")


def test_fp16_network_in_float32_matches_the_reference_force_fp32():
    ref = reference("fp16_32")
    gan = import_file(FORMAT, FIXTURES / "fp16_32.pkl", force_fp32=True)
    got = outputs(gan.generator, gan.ema_generator, gan.discriminator, ref, suffix="_fp32")
    assert_matches("fp16_32", ref, got)


def test_conditional_networks_reproduce_the_reference():
    ref = reference("cond32")
    config, generator, discriminator, ema = load_networks(FIXTURES / "cond32.pkl")
    assert config["num_classes"] == 5 and generator.num_classes == 5
    assert_matches("cond32", ref, outputs(generator, ema, discriminator, ref))
    # Integer labels are the one-hot c of the fixture.
    labels = labels_of(ref)
    ws = ops.convert_to_numpy(ema.mapping([ref["z"], labels]))
    np.testing.assert_allclose(ws, ref["ws"], atol=ATOL, rtol=0)


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_writes_a_model_that_reproduces_the_reference(tmp_path):
    out = tmp_path / "orig16.keras"
    result = invoke("import", FORMAT, FIXTURES / "orig16.pkl", "--out", out)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    ref = reference("orig16")
    gan = ganzoo.load(out)
    assert_matches("orig16", ref, outputs(gan.generator, gan.ema_generator,
                                          gan.discriminator, ref))
    assert FORMAT in invoke("import", "--list").output.splitlines()


@pytest.fixture(scope="module")
def imported_cond32(tmp_path_factory):
    """(path, loaded GAN) of cond32 written by ``ganzoo import``."""
    out = tmp_path_factory.mktemp("cond32") / "cond32.keras"
    result = invoke("import", FORMAT, FIXTURES / "cond32.pkl", "--out", out)
    assert result.exit_code == 0, result.output
    return out, ganzoo.load(out)


def test_cli_imports_a_conditional_model_that_samples_by_class(tmp_path, imported_cond32):
    out, gan = imported_cond32
    ref = reference("cond32")
    assert gan.num_classes == 5
    assert_matches("cond32", ref, outputs(gan.generator, gan.ema_generator,
                                          gan.discriminator, ref))
    for class_ in (1, 4):
        npz = tmp_path / f"class{class_}.npz"
        result = invoke("sample", "--checkpoint", out, "--num", 3, "--seed", 5,
                        "--class", class_, "--truncation-psi", 0.7, "--out", npz)
        assert result.exit_code == 0, result.output
        saved = np.load(npz)
        np.testing.assert_array_equal(saved["labels"], [class_] * 3)
        expected = gan.generate(3, seed=5, labels=class_, truncation_psi=0.7)
        np.testing.assert_array_equal(saved["images"], to_uint8(expected))
    assert not np.array_equal(np.load(tmp_path / "class1.npz")["images"],
                              np.load(tmp_path / "class4.npz")["images"])
    result = invoke("sample", "--checkpoint", out, "--class", 5, "--out", tmp_path / "x.npz")
    assert result.exit_code != 0 and "0..4" in result.output


def test_cli_mix_and_w_interpolation_of_a_conditional_model_keep_the_class(tmp_path,
                                                                           imported_cond32):
    from ganzoo_cli.mix_cmd import mixing_grid
    from PIL import Image

    from ganzoo.image_grid import make_grid
    from ganzoo.latent import interpolate_w

    out, gan = imported_cond32

    def png(path):
        return np.asarray(Image.open(path)).astype(int)

    # A W path in class 2 ends at the seeds' class-2 images.
    strip = interpolate_w(gan, 3, 7, 3, label=2)
    ends = np.concatenate([gan.generate(1, seed=s, labels=2) for s in (3, 7)])
    np.testing.assert_allclose(strip[[0, -1]], ends, atol=1e-5)
    result = invoke("interpolate", "--checkpoint", out, "--seeds", "3,7", "--steps", 3,
                    "--space", "w", "--class", 2, "--out", tmp_path / "w.png")
    assert result.exit_code == 0, result.output
    assert np.abs(png(tmp_path / "w.png") - make_grid(strip, ncols=3)).max() <= 1
    # Every image of a mixing grid is of the class asked for.
    grids = {}
    for class_ in (0, 3):
        path = tmp_path / f"mix{class_}.png"
        result = invoke("mix", "--checkpoint", out, "--rows", "1,2", "--cols", "3",
                        "--class", class_, "--out", path)
        assert result.exit_code == 0, result.output
        grids[class_] = png(path)
        expected = make_grid(mixing_grid(gan, [1, 2], [3], 4, None, True, class_), ncols=2)
        assert np.abs(grids[class_] - expected).max() <= 1
    assert not np.array_equal(grids[0], grids[3])
    # The grid's source images are generate's of that class.
    np.testing.assert_allclose(mixing_grid(gan, [1], [3], 4, None, True, 3)[1],
                               gan.generate(1, seed=3, labels=3)[0], atol=1e-5)
    result = invoke("mix", "--checkpoint", out, "--rows", "1", "--cols", "3", "--class", 5,
                    "--out", tmp_path / "bad.png")
    assert result.exit_code != 0 and "0..4" in result.output


def _evil(path, marker):
    import os
    import pickle

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path.write_bytes(pickle.dumps({"G": RunsCode()}))


@pytest.mark.parametrize("case", ["evil", "unknown_format", "missing", "not_keras", "text",
                                  "no_out"])
def test_cli_bad_input_is_one_error_line(tmp_path, case):
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.pkl"
    _evil(evil, marker)
    text = tmp_path / "notes.pkl"
    text.write_text("hello")
    args = {
        "evil": (FORMAT, evil, "--out", tmp_path / "m.keras"),
        "unknown_format": ("stylegan9", FIXTURES / "orig16.pkl", "--out", tmp_path / "m.keras"),
        "missing": (FORMAT, tmp_path / "nope.pkl", "--out", tmp_path / "m.keras"),
        "not_keras": (FORMAT, FIXTURES / "orig16.pkl", "--out", tmp_path / "m.h5"),
        "text": (FORMAT, text, "--out", tmp_path / "m.keras"),
        "no_out": (FORMAT, FIXTURES / "orig16.pkl"),
    }[case]
    result = invoke("import", *args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "m.keras").exists()


@pytest.mark.parametrize("name", ALL)
def test_r1_and_path_lengths_match_the_reference(name):
    """The reference loss's R1 term (||d sum D(reals, c) / d reals||^2 per image) and path
    lengths (G_ema, const noise, the fixture's pl_noise), in float32 (force_fp32).
    R1's gradient is the one the R1 regularizer takes (``StepContext``, with labels).

    R1 is ~1e-3 on these random weights, so it is compared relatively (1e-4)."""
    from ganzoo_stylegan2.regularizers import path_length_statistics

    from ganzoo.regularizers import StepContext

    ref = reference(name)
    labels = labels_of(ref)
    gan = import_file(FORMAT, FIXTURES / f"{name}.pkl", force_fp32=True)
    reals = nhwc(ref["reals"])
    grads = ops.convert_to_numpy(StepContext(gan, reals, None, labels).input_gradient(reals))
    np.testing.assert_allclose(np.square(grads).sum(axis=(1, 2, 3)), ref["r1"],
                               rtol=1e-4, atol=1e-9)
    ema = gan.ema_generator
    noise = ops.convert_to_tensor(nhwc(ref["pl_noise"]))
    ws = ema.mapping(gan.mapping_inputs(ref["z"], labels))
    grads = gan.input_gradient(
        lambda w: ops.sum(ema.synthesis(w, noise_mode="const") * noise, axis=(1, 2, 3)), ws)
    _, _, lengths = path_length_statistics(grads, 0.0, 0.01)
    np.testing.assert_allclose(ops.convert_to_numpy(lengths), ref["pl_lengths"],
                               atol=ATOL, rtol=0)

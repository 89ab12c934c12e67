"""BigGAN-PyTorch state dicts import and reproduce the reference's numbers.

The fixtures in tests/fixtures/biggan were made by the reference code itself
(make_fixtures.py there, ajbrock/BigGAN-PyTorch commit 9845943): G and D
state dicts saved with ``torch.save`` as the reference saves them, after
train-mode passes that moved every spectral-norm vector and batch-norm
statistic, the networks' eval-mode outputs, and what the reference's
orthogonal regularization adds to G's gradients. ``hier64`` is 64x64 with
hierarchical z and attention at 16x16 in G and 8x8 in D; ``flat32`` is 32x32
without hierarchical z, attention at 16x16 in G only, and the reference's
32x32 D (which stops halving at 8x8). Images and D's logits must match within
1e-4 (absolute; images are in [-1, 1], logits up to ~14).
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_biggan.importer import FORMAT
from keras import ops

import ganzoo
from ganzoo import backends
from ganzoo.errors import GanzooError
from ganzoo.importers import import_file, list_importers, pth_reader
from ganzoo.regularizers import OrthogonalRegularization, orthogonal_penalty

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "biggan"
DCGAN_NETG = FIXTURES.parent / "dcgan" / "gray_netG.pth"
ATOL = 1e-4
# name -> config fields the importer must find (make_fixtures.py's CONFIGS)
EXPECTED = {
    "hier64": dict(image_size=64, latent_dim=20, num_classes=5, shared_dim=8,
                   hierarchical_z=True, attention_resolution=16, d_attention_resolution=8,
                   d_final_resolution=4, base_filters=2,
                   channel_multipliers=(16, 16, 8, 4, 2),
                   d_channel_multipliers=(1, 2, 4, 8, 16)),
    "flat32": dict(image_size=32, latent_dim=12, num_classes=5, shared_dim=6,
                   hierarchical_z=False, attention_resolution=16, d_attention_resolution=0,
                   d_final_resolution=8, base_filters=16,
                   channel_multipliers=(1, 1, 1, 1), d_channel_multipliers=(1, 1, 1, 1)),
}


def files(name):
    return FIXTURES / f"{name}_G.pth", FIXTURES / f"{name}_D.pth"


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def outputs(gan, ref, d=True):
    """The fixture's outputs computed by ganzoo (images NCHW like the reference)."""
    labels = ref["y"].astype("int32")
    out = {}
    for key, g in (("images", gan.generator), ("images_ema", gan.ema_generator)):
        images = ops.convert_to_numpy(g([ref["z"], labels], training=False))
        out[key] = np.transpose(images, (0, 3, 1, 2))
    if d:
        reals = ref["reals_uint8"].astype("float32") / np.float32(127.5) - 1
        for key, x in (("d_real", nhwc(reals)), ("d_fake", nhwc(ref["images"]))):
            out[key] = ops.convert_to_numpy(gan.discriminator([x, labels], training=False))
    return out


def assert_matches(name, ref, got):
    for key, value in got.items():
        expected = ref[key.removesuffix("_ema")]
        assert value.shape == expected.shape, key
        err = float(np.abs(value - expected).max())
        assert err <= ATOL, f"{name} {key}: max |ganzoo - reference| = {err:.2e} > {ATOL}"


def found_config(name):
    """The ``BigGANConfig`` fields the importer reads from the fixture's files."""
    from ganzoo_biggan import importer

    g_file, d_file = files(name)
    _, g = importer.read_generator(g_file)
    _, d = importer.read_discriminator(d_file, g["image_size"])
    return importer.config_kwargs(g, d)


@pytest.fixture(scope="module")
def imported():
    """name -> the GAN imported from the fixture's G and D (one import per module)."""
    cache = {}

    def get(name):
        if name not in cache:
            g_file, d_file = files(name)
            cache[name] = import_file(FORMAT, g_file, discriminator=d_file)
        return cache[name]

    return get


@pytest.mark.parametrize("name", list(EXPECTED))
def test_imported_gan_reproduces_the_reference(imported, name):
    ref = reference(name)
    gan = imported(name)
    kwargs = found_config(name)
    for key, value in EXPECTED[name].items():
        assert kwargs[key] == value, key
    assert (kwargs["spectral_norm_sigma"], kwargs["cbn_bias"]) == ("iterate", False)
    assert gan.latent_dim == kwargs["latent_dim"] and gan.ema_generator is not None
    assert_matches(name, ref, outputs(gan, ref))


def test_orthogonal_regularization_matches_the_reference_at_half_its_strength(imported):
    """ganzoo's penalty is the paper's beta * ||W^T W * (1 - I)||^2; BigGAN-PyTorch's
    ``utils.ortho`` adds strength * 2 (W W^T * (1 - I)) W, half that penalty's
    gradient, so ganzoo's weight s / 2 is the reference's --G_ortho s (the
    importer sets 5e-5, the reference scripts' 1e-4)."""
    from ganzoo_biggan.importer import set_generator

    from ganzoo.importers import read_torch_state_dict

    ref = reference("hier64")
    gan = imported("hier64")
    assert gan.regularizer_list[0].weight == pytest.approx(5e-5)
    kernels = OrthogonalRegularization().kernels(gan)
    strength = 1.0  # make_fixtures.py's ORTHO_STRENGTH

    def loss():
        return 0.5 * strength * orthogonal_penalty(kernels), None

    _, grads = backends.get().value_and_grad(loss, kernels)
    # Lay the reference's gradients out as ganzoo's weights, through the importer,
    # in the EMA copy of G (then put G's weights back there).
    arrays = read_torch_state_dict(files("hier64")[0], "G")
    touched = [k.removeprefix("ortho.") for k in ref if k.startswith("ortho.")]
    assert len(touched) == len(kernels)
    scratch = gan.ema_generator
    set_generator(scratch, {**arrays, **{k: ref[f"ortho.{k}"] for k in touched}})
    index = {id(v): i for i, v in enumerate(gan.generator.weights)}
    laid_out = [ops.convert_to_numpy(scratch.weights[index[id(k)]])
                for k in kernels]
    set_generator(scratch, arrays)
    for kernel, grad, want in zip(kernels, grads, laid_out, strict=True):
        err = float(np.abs(ops.convert_to_numpy(grad) - want).max())
        assert err <= ATOL * max(1.0, float(np.abs(want).max())), kernel.path


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_writes_a_model_that_reproduces_the_reference(tmp_path):
    out = tmp_path / "flat32.keras"
    g_file, d_file = files("flat32")
    result = invoke("import", FORMAT, g_file, "--discriminator", d_file, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out), f"{FORMAT}: GAN, 32x32, latent_dim 12, EMA generator kept"]
    ref = reference("flat32")
    loaded = ganzoo.load(out)  # the written model holds the same networks, and samples
    assert_matches("flat32", ref, outputs(loaded, ref))
    images = loaded.generate(3, seed=3)
    assert images.shape == (3, 32, 32, 3)
    assert np.abs(images).max() <= 1 and float(images.std()) > 0.01
    assert FORMAT in list_importers()
    assert FORMAT in invoke("import", "--list").output.splitlines()
    # Without D's file, G is the reference's and D a fresh one of its layout.
    gan = import_file(FORMAT, g_file)
    assert_matches("flat32", ref, outputs(gan, ref, d=False))
    assert gan.discriminator.get_layer("block4_add").output.shape[1] == 8


@pytest.mark.parametrize("case, message", [
    ("dcgan_state_dict", "has no 'shared.weight'; is it a BigGAN-PyTorch G"),
    ("truncated", "not a readable PyTorch .pth file"),
    ("text", "not a PyTorch .pth file"),
    ("d_as_file", "give its G.pth or G_ema.pth as FILE"),
    ("g_as_discriminator", "is a BigGAN-PyTorch G, not its D"),
    ("other_gans_discriminator", "has 5 blocks, a 32x32 BigGAN-PyTorch D has 4"),
    ("missing_discriminator", "no such file"),
])
def test_cli_bad_input_is_one_error_line(tmp_path, case, message):
    g_file, d_file = files("flat32")
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(g_file.read_bytes()[: g_file.stat().st_size // 2])
    text = tmp_path / "notes.pth"
    text.write_text("hello")
    args = {
        "dcgan_state_dict": (DCGAN_NETG,),
        "truncated": (truncated,),
        "text": (text,),
        "d_as_file": (d_file,),
        "g_as_discriminator": (g_file, "--discriminator", g_file),
        "other_gans_discriminator": (g_file, "--discriminator", files("hier64")[1]),
        "missing_discriminator": (g_file, "--discriminator", tmp_path / "no.pth"),
    }[case]
    result = invoke("import", FORMAT, *args, "--out", tmp_path / "m.keras")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert message in lines[0], lines[0]
    assert not (tmp_path / "m.keras").exists()


def test_a_state_dict_ganzoo_cannot_hold_is_one_clear_error(monkeypatch):
    """Reads, but is not a network ganzoo's biggan can express."""
    from ganzoo_biggan import importer

    g_file, _ = files("flat32")
    arrays = importer.read_torch_state_dict(g_file, "G")

    def with_arrays(odd, match):
        monkeypatch.setattr(pth_reader, "read_state_dict", lambda path: odd)
        with pytest.raises(GanzooError, match=match):
            import_file(FORMAT, g_file)

    second = {k.replace("blocks.1.1.", "blocks.0.1."): v for k, v in arrays.items()
              if k.startswith("blocks.1.1.")}
    with_arrays({**arrays, **second}, "self-attention after 2 blocks")
    unshared = {k: v for k, v in arrays.items() if k != "shared.weight"}
    with_arrays(unshared, r"no shared embedding \(G_shared=False\)")
    with_arrays({**arrays, "blocks.0.0.extra.weight": np.zeros((2, 2), "float32")},
                "weights ganzoo's biggan does not: blocks.0.0.extra.weight")
    with_arrays({**arrays, "blocks.0.0.conv2.weight": np.zeros((16, 9, 3, 3), "float32")},
                r"blocks.0.0.conv2.weight: shape \(3, 3, 9, 16\) does not fit")


def test_mybn_and_cross_replica_batch_norm_buffers_import(monkeypatch):
    """--mybn and cross-replica BN keep a batch norm's statistics in a ``bn.``
    sub-module (``stored_*`` or ``running_*``); DataParallel prefixes ``module.``."""
    from ganzoo_biggan import importer

    g_file, _ = files("flat32")
    arrays = importer.read_torch_state_dict(g_file, "G")
    renamed = {}
    for key, value in arrays.items():
        for old, new in ((".stored_mean", ".bn.running_mean"), (".stored_var", ".bn.running_var")):
            if key.endswith(old) and ".bn1." in key:
                key = key[: -len(old)] + new
            elif key.endswith(old) and key.startswith("output_layer"):
                key = key[: -len(old)] + old.replace(".", ".bn.")
        renamed[f"module.{key}"] = value
    monkeypatch.setattr(pth_reader, "read_state_dict", lambda path: renamed)
    ref = reference("flat32")
    assert_matches("flat32", ref, outputs(import_file(FORMAT, g_file), ref, d=False))

"""The PyTorch examples' DCGAN state dicts import and reproduce the reference's numbers.

The fixtures in tests/fixtures/dcgan were made by the reference code itself
(make_fixtures.py there, pytorch/examples commit 77f55b9): netG / netD state
dicts saved with ``torch.save`` as the example saves them, after train-mode
passes that set every batch norm's running statistics, and the networks'
eval-mode outputs. ``gray`` is nz=8, ngf=ndf=4, nc=1; ``rgb`` is nz=8,
ngf=4, ndf=2 (D narrower than G), nc=3. Images, D's pre-sigmoid logits and
its sigmoid outputs must match within 1e-4 (absolute; all are O(1)).
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_dcgan.importer import FORMAT
from keras import ops

import ganzoo
from ganzoo.errors import GanzooError
from ganzoo.importers import import_file, list_importers, pth_reader

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dcgan"
STYLEGAN2_PICKLE = FIXTURES.parent / "stylegan2" / "orig16.pkl"
ATOL = 1e-4
# name -> (nz, ngf, ndf, nc) of make_fixtures.py's CONFIGS
SIZES = {"gray": (8, 4, 4, 1), "rgb": (8, 4, 2, 3)}


def files(name):
    return FIXTURES / f"{name}_netG.pth", FIXTURES / f"{name}_netD.pth"


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def outputs(gan, ref, d=True):
    """The fixture's outputs computed by ganzoo (images NCHW like the reference)."""
    images = gan.generate_from_latents(ref["z"])
    out = {"images": np.transpose(images, (0, 3, 1, 2))}
    if d:
        reals = ref["reals_uint8"].astype("float32") / np.float32(127.5) - 1
        for key, x in (("real", nhwc(reals)), ("fake", nhwc(ref["images"]))):
            logit = ops.convert_to_numpy(gan.discriminator_forward(x))
            out[f"d_{key}_logit"] = logit
            out[f"d_{key}"] = 1 / (1 + np.exp(-logit.astype("float64")))
    return out


def assert_matches(name, ref, got):
    for key, value in got.items():
        assert value.shape == ref[key].shape, key
        err = float(np.abs(value - ref[key]).max())
        assert err <= ATOL, f"{name} {key}: max |ganzoo - reference| = {err:.2e} > {ATOL}"


def biased_layers(model):
    return [la.name for la in model.layers if getattr(la, "use_bias", False)]


@pytest.mark.parametrize("name", list(SIZES))
def test_imported_gan_reproduces_the_reference(tmp_path, name):
    nz, ngf, ndf, nc = SIZES[name]
    ref = reference(name)
    net_g, net_d = files(name)
    out = tmp_path / f"{name}.keras"
    gan = import_file(FORMAT, net_g, out, discriminator=net_d)
    assert gan.latent_dim == nz and gan.ema_generator is None
    assert gan.generator.output_shape == (None, 64, 64, nc)
    assert gan.generator.get_layer("up3").filters == ngf
    assert gan.discriminator.get_layer("down1").filters == ndf
    assert biased_layers(gan.generator) == biased_layers(gan.discriminator) == []
    assert_matches(name, ref, outputs(gan, ref))
    # The written model holds the same networks, and samples.
    loaded = ganzoo.load(out)
    assert_matches(name, ref, outputs(loaded, ref))
    images = loaded.generate(3, seed=3)
    assert images.shape == (3, 64, 64, nc) and np.abs(images).max() <= 1
    assert float(images.std()) > 0.01


def test_without_the_discriminator_d_is_new_and_as_wide_as_g():
    ref = reference("rgb")
    gan = import_file(FORMAT, files("rgb")[0])
    assert_matches("rgb", ref, outputs(gan, ref, d=False))
    assert gan.discriminator.get_layer("down1").filters == SIZES["rgb"][1]


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_writes_a_model_that_reproduces_the_reference(tmp_path):
    out = tmp_path / "gray.keras"
    net_g, net_d = files("gray")
    result = invoke("import", FORMAT, net_g, "--discriminator", net_d, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out), f"{FORMAT}: GAN, 64x64, latent_dim 8, EMA generator absent"]
    ref = reference("gray")
    assert_matches("gray", ref, outputs(ganzoo.load(out), ref))
    assert FORMAT in list_importers()
    assert FORMAT in invoke("import", "--list").output.splitlines()


def _bad_files(tmp_path):
    net_g, net_d = files("gray")
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(net_g.read_bytes()[: net_g.stat().st_size // 2])
    text = tmp_path / "notes.pth"
    text.write_text("hello")
    return {"truncated": truncated, "text": text, "netG": net_g, "netD": net_d,
            "rgb_netD": files("rgb")[1]}


@pytest.mark.parametrize("case, message", [
    ("stylegan2_pickle", "refusing to load"),
    ("truncated", "not a readable PyTorch .pth file"),
    ("text", "not a PyTorch .pth file"),
    ("netD_as_file", "give its netG file as FILE"),
    ("netG_as_discriminator", "not its netD"),
    ("missing_discriminator", "no such file"),
    ("truncated_discriminator", "not a readable PyTorch .pth file"),
    ("other_channels", "not one GAN's files"),
    ("option_of_another_format", "takes no option discriminator"),
])
def test_cli_bad_input_is_one_error_line(tmp_path, case, message):
    f = _bad_files(tmp_path)
    out = ("--out", tmp_path / "m.keras")
    args = {
        "stylegan2_pickle": (FORMAT, STYLEGAN2_PICKLE),
        "truncated": (FORMAT, f["truncated"]),
        "text": (FORMAT, f["text"]),
        "netD_as_file": (FORMAT, f["netD"]),
        "netG_as_discriminator": (FORMAT, f["netG"], "--discriminator", f["netG"]),
        "missing_discriminator": (FORMAT, f["netG"], "--discriminator", tmp_path / "no.pth"),
        "truncated_discriminator": (FORMAT, f["netG"], "--discriminator", f["truncated"]),
        "other_channels": (FORMAT, f["netG"], "--discriminator", f["rgb_netD"]),
        "option_of_another_format": ("stylegan2-ada-pytorch", STYLEGAN2_PICKLE,
                                     "--discriminator", f["netD"]),
    }[case]
    result = invoke("import", *args, *out)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert message in lines[0], lines[0]
    assert not (tmp_path / "m.keras").exists()


def test_a_state_dict_of_another_network_is_one_clear_error(monkeypatch):
    """A .pth that reads but is not the example's network (another width pattern,
    other keys)."""
    from ganzoo_dcgan import importer

    arrays = importer.read_torch_state_dict(files("gray")[0], "netG")
    odd = {**arrays, "main.6.weight": np.zeros((16, 9, 4, 4), "float32")}  # not 2 * ngf
    monkeypatch.setattr(pth_reader, "read_state_dict", lambda path: odd)
    with pytest.raises(GanzooError, match=r"main.6.weight has shape \(16, 9, 4, 4\)"):
        import_file(FORMAT, files("gray")[0])
    odd = {**arrays, "main.13.weight": np.zeros((1,), "float32")}
    with pytest.raises(GanzooError, match="weights the example's network does not: main.13"):
        import_file(FORMAT, files("gray")[0])
    odd = {"fc.weight": np.zeros((2, 3), "float32")}
    with pytest.raises(GanzooError, match="not the PyTorch examples' DCGAN netG"):
        import_file(FORMAT, files("gray")[0])
    # DataParallel's "module." prefix is dropped.
    odd = {f"module.{k}": v for k, v in arrays.items()}
    assert import_file(FORMAT, files("gray")[0]).latent_dim == 8

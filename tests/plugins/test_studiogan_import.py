"""PyTorch-StudioGAN checkpoints import and reproduce the reference's numbers.

The fixtures in tests/fixtures/studiogan were made by the reference code
itself (make_fixtures.py there, POSTECH-CVLab/PyTorch-StudioGAN commit
947b35e): its ``big_resnet`` and ``resnet`` G, G_ema and D built from its config files with
small widths, random weights, spectral-norm vectors and batch-norm statistics
moved by train-mode passes, saved by its own ``misc.save_model`` (the
``model=G-best-weights-step=7.pth`` layout), and the networks' eval-mode
outputs. ``cifar32`` follows CIFAR10/BigGAN.yaml (attention at 16x16 in G
and D, D stopping at 8x8); ``imagenet128`` the 128x128 layout of
ImageNet/BigGAN-256.yaml (attention at 64x64 in G; none in D); ``sagan32``
CIFAR10/SAGAN.yaml (the ``resnet`` backbone, imported as a biggan whose
shared embedding is the identity). Images and
D's outputs must match within 1e-4 (absolute; logits reach 12.5).
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_biggan import importer
from ganzoo_biggan.importer import STUDIOGAN_FORMAT as FORMAT
from keras import ops

import ganzoo
from ganzoo.errors import GanzooError
from ganzoo.importers import import_file, list_importers, studiogan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studiogan"
BIGGAN_PYTORCH_G = FIXTURES.parent / "biggan" / "flat32_G.pth"
ATOL = 1e-4
# name -> config fields the importer must find (make_fixtures.py's CONFIGS)
EXPECTED = {
    "cifar32": dict(image_size=32, latent_dim=8, num_classes=5, shared_dim=6,
                    hierarchical_z=True,
                    attention_resolution=16, d_attention_resolution=16,
                    d_final_resolution=8, base_filters=8,
                    channel_multipliers=(2, 2, 2, 2), d_channel_multipliers=(1, 1, 1, 1)),
    "imagenet128": dict(image_size=128, latent_dim=12, num_classes=7, shared_dim=4,
                        hierarchical_z=True,
                        attention_resolution=64, d_attention_resolution=0,
                        d_final_resolution=4, base_filters=2,
                        channel_multipliers=(32, 32, 16, 8, 4, 2),
                        d_channel_multipliers=(1, 2, 4, 8, 16, 16)),
    # the resnet backbone: cBNs on the one-hot class (an identity embedding), all of z
    # into the first layer
    "sagan32": dict(image_size=32, latent_dim=6, num_classes=5, shared_dim=5,
                    hierarchical_z=False, attention_resolution=16, d_attention_resolution=16,
                    d_final_resolution=8, base_filters=8,
                    channel_multipliers=(2, 2, 2, 2), d_channel_multipliers=(1, 1, 1, 1)),
}
DEPARTURES = dict(spectral_norm_sigma="stored_uv", bn_epsilon=1e-4, cbn_bias=False,
                  d_activated_shortcut=True, orthogonal_weight=0.0)


def checkpoint(name, model):
    return FIXTURES / name / f"model={model}-best-weights-step=7.pth"


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def outputs(gan, ref, generators=(("images", "generator"),), d=True):
    """``(reference key, ganzoo's value)`` pairs: the fixture's outputs computed by
    ganzoo (images NCHW like the reference)."""
    labels = ref["y"].astype("int32")
    out = []
    for key, attr in generators:
        images = ops.convert_to_numpy(getattr(gan, attr)([ref["z"], labels], training=False))
        out.append((key, np.transpose(images, (0, 3, 1, 2))))
    if d:
        reals = ref["reals_uint8"].astype("float32") / np.float32(127.5) - 1
        for key, x in (("d_real", nhwc(reals)), ("d_fake", nhwc(ref["images"]))):
            logits = ops.convert_to_numpy(gan.discriminator([x, labels], training=False))
            out.append((key, logits[:, 0]))
    return out


def largest_difference(ref, got) -> float:
    errors = []
    for key, value in got:
        assert value.shape == ref[key].shape, key
        errors.append(float(np.abs(value - ref[key]).max()))
    return max(errors)


def assert_matches(name, ref, got):
    err = largest_difference(ref, got)
    assert err <= ATOL, f"{name}: max |ganzoo - reference| = {err:.2e} > {ATOL}"


@pytest.fixture(scope="module")
def imported():
    """name -> the GAN imported from the fixture's G and D (one import per module)."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = import_file(FORMAT, checkpoint(name, "G"),
                                      discriminator=checkpoint(name, "D"))
        return cache[name]

    return get


@pytest.mark.parametrize("name", list(EXPECTED))
def test_imported_gan_reproduces_the_reference(imported, name):
    ref = reference(name)
    gan = imported(name)
    _, g = importer.read_studiogan_generator(checkpoint(name, "G"))
    _, d = importer.read_studiogan_discriminator(checkpoint(name, "D"), g["image_size"])
    kwargs = importer.studiogan_config_kwargs(g, d)
    for key, value in {**EXPECTED[name], **DEPARTURES}.items():
        assert kwargs[key] == value, key
    assert gan.latent_dim == kwargs["latent_dim"] and gan.ema_generator is not None
    shared = gan.generator.get_layer("shared_embedding")
    if name == "sagan32":  # the one-hot class stays one-hot when fine-tuning
        np.testing.assert_array_equal(ops.convert_to_numpy(shared.embeddings), np.eye(5))
    assert shared.trainable == kwargs["hierarchical_z"]
    assert_matches(name, ref, outputs(gan, ref, (("images", "generator"),
                                                 ("images", "ema_generator"))))


def test_each_departure_from_ganzoos_defaults_matters():
    """The options the importer sets change the outputs: each one undone moves them
    past the tolerance (the batch norms' epsilon least: their variances are far
    above 1e-4 here)."""
    from ganzoo.api import get_architecture

    ref = reference("cifar32")
    g_arrays, g = importer.read_studiogan_generator(checkpoint("cifar32", "G"))
    d_arrays, d = importer.read_studiogan_discriminator(checkpoint("cifar32", "D"), 32)
    architecture = get_architecture("biggan")
    for option, value, moved in (("bn_epsilon", 1e-5, ATOL),
                                 ("d_activated_shortcut", False, 1.0),
                                 ("spectral_norm_sigma", "iterate", 1e-2)):
        config = architecture.make_config(**{**importer.studiogan_config_kwargs(g, d), option: value})
        gan = architecture.build(config)
        importer.set_studiogan_generator(gan.generator, g_arrays)
        importer.set_studiogan_discriminator(gan.discriminator, d_arrays)
        assert largest_difference(ref, outputs(gan, ref)) > moved, (option, value)


def test_a_resnet_gs_one_hot_embedding_stays_frozen_in_the_saved_model(tmp_path):
    """The identity embedding of an imported resnet G is not trained, and the
    written model loads with its optimizers' state (no variable count mismatch)."""
    out = tmp_path / "sagan32.keras"
    import_file(FORMAT, checkpoint("sagan32", "G"), out, discriminator=checkpoint("sagan32", "D"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = ganzoo.load(out)
    assert not [w for w in caught if "Skipping variable loading" in str(w.message)]
    for net in (loaded.generator, loaded.ema_generator):
        shared = net.get_layer("shared_embedding")
        assert not shared.trainable
        np.testing.assert_array_equal(ops.convert_to_numpy(shared.embeddings), np.eye(5))
    ref = reference("sagan32")
    assert_matches("sagan32", ref, outputs(loaded, ref))


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_writes_a_model_that_reproduces_the_reference(tmp_path):
    out = tmp_path / "cifar32.keras"
    result = invoke("import", FORMAT, checkpoint("cifar32", "G_ema"),
                    "--discriminator", checkpoint("cifar32", "D"), "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out), f"{FORMAT}: GAN, 32x32, latent_dim 8, EMA generator kept"]
    ref = reference("cifar32")
    loaded = ganzoo.load(out)  # the written model holds the same networks, and samples
    got = outputs(loaded, ref, (("images_ema", "generator"), ("images_ema", "ema_generator")))
    assert_matches("cifar32", ref, got)
    images = loaded.generate(3, seed=3)
    assert images.shape == (3, 32, 32, 3)
    assert np.abs(images).max() <= 1 and float(images.std()) > 0.01
    assert FORMAT in list_importers()
    assert FORMAT in invoke("import", "--list").output.splitlines()
    # Without D's file, G is the reference's and D a fresh one of its config's layout.
    gan = import_file(FORMAT, checkpoint("cifar32", "G"))
    assert_matches("cifar32", ref, outputs(gan, ref, d=False))
    assert gan.discriminator.get_layer("block4_add").output.shape[1:] == (8, 8, 8)
    assert gan.discriminator.get_layer("attention").output.shape[1] == 16


@pytest.mark.parametrize("case, message", [
    ("biggan_pytorch_state_dict", "is not a StudioGAN checkpoint (no 'state_dict'"),
    ("truncated", "not a readable PyTorch .pth file"),
    ("text", "not a PyTorch .pth file"),
    ("d_as_file", "is a StudioGAN D: give its model=G-"),
    ("g_as_discriminator", "is a StudioGAN G, not its D"),
    ("other_runs_discriminator", "has 6 blocks, a 32x32 StudioGAN big_resnet D has 4"),
    ("missing_discriminator", "no such file"),
])
def test_cli_bad_input_is_one_error_line(tmp_path, case, message):
    g_file, d_file = checkpoint("cifar32", "G"), checkpoint("cifar32", "D")
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(g_file.read_bytes()[: g_file.stat().st_size // 2])
    text = tmp_path / "notes.pth"
    text.write_text("hello")
    args = {
        "biggan_pytorch_state_dict": (BIGGAN_PYTORCH_G,),
        "truncated": (truncated,),
        "text": (text,),
        "d_as_file": (d_file,),
        "g_as_discriminator": (g_file, "--discriminator", g_file),
        "other_runs_discriminator": (g_file, "--discriminator",
                                     checkpoint("imagenet128", "D")),
        "missing_discriminator": (g_file, "--discriminator", tmp_path / "no.pth"),
    }[case]
    result = invoke("import", FORMAT, *args, "--out", tmp_path / "m.keras")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert message in lines[0], lines[0]
    assert not (tmp_path / "m.keras").exists()


def test_networks_ganzoo_cannot_hold_are_one_clear_error(monkeypatch):
    """Checkpoints that read, but of StudioGAN networks ganzoo's biggan cannot express."""
    g_file, d_file = checkpoint("cifar32", "G"), checkpoint("cifar32", "D")
    g_arrays = studiogan.read_checkpoint(g_file, "G")
    d_arrays = studiogan.read_checkpoint(d_file, "D")

    def refused(g, d, match):
        files = {str(g_file): g, str(d_file): d}
        monkeypatch.setattr(studiogan, "read_checkpoint", lambda path, what: files[str(path)])
        with pytest.raises(GanzooError, match=match):
            import_file(FORMAT, g_file, discriminator=d_file)

    second = {k.replace("blocks.2.", "blocks.4."): v for k, v in g_arrays.items()
              if k.startswith("blocks.2.")}
    shifted = {k.replace("blocks.3.", "blocks.5."): v for k, v in g_arrays.items()
               if k.startswith("blocks.3.")}
    refused({**g_arrays, **second, **shifted}, d_arrays, "attends after 2 blocks")
    refused({"mapping.fc0.weight": np.zeros((2, 2), "float32")}, d_arrays, "StyleGAN")
    # g_cond_mtd W/O: no embedding, the cBNs take the z chunk alone
    unconditional = {k: v[:, -2:] if k.endswith(("gain.weight_orig", "bias.weight_orig")) else v
                     for k, v in g_arrays.items() if k != "shared.weight"}
    refused(unconditional, d_arrays, "is not class-conditional")
    dcgan = {"linear0.weight": np.zeros((16, 2), "float32"),
             "blocks.0.0.deconv0.weight": np.zeros((2, 2, 4, 4), "float32")}
    refused(dcgan, d_arrays, r"is a StudioGAN deep_conv \(DCGAN\) G")
    plain = {k.replace("weight_orig", "weight"): v for k, v in g_arrays.items()}
    refused(plain, d_arrays, r"no spectral norm \(apply_g_sn: False")
    refused({**g_arrays, "info_proj_linear.weight_orig": np.zeros((6, 2), "float32")},
            d_arrays, "weights ganzoo's biggan does not: info_proj_linear")
    refused(g_arrays, {**d_arrays, "linear2.weight_orig": np.zeros((4, 8), "float32")},
            r"not a projection \(d_cond_mtd: PD\)")

"""pytorch_GAN_zoo's PGAN checkpoints import and reproduce the reference's numbers.

The fixtures in tests/fixtures/progan were made by the reference code itself
(make_fixtures.py there, facebookresearch/pytorch_GAN_zoo commit b75dee4):
checkpoints written by its ``ProgressiveGAN.save`` and the outputs of its
networks. ``rgb``: z of 8, widths 8, 8, 4 (16x16), saved mid-fade (the
reference's alpha 0.5), a batch of 8; ``gray``: the same widths, one
channel, a batch of 6 (one stddev group in the reference); ``plain``: 8x8 without minibatch stddev or equalized
learning rate; ``gray_G.pth``: gray's averaged generator as a bare state
dict. Images (before ganzoo's clipping to [-1, 1]) and D's outputs must
match within 1e-4 (absolute; all are O(1)).
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_progan.importer import FORMAT
from keras import ops

import ganzoo
from ganzoo.errors import GanzooError
from ganzoo.importers import import_file, list_importers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "progan"
DCGAN_NETG = FIXTURES.parent / "dcgan" / "gray_netG.pth"
STYLEGAN2_PICKLE = FIXTURES.parent / "stylegan2" / "orig16.pkl"
ATOL = 1e-4
# name -> (latent, widths, channels, minibatch stddev) of make_fixtures.py's CONFIGS
SIZES = {"rgb": (8, [8, 8, 4], 3, "pytorch-gan-zoo"),
         "gray": (8, [8, 8, 4], 1, "pytorch-gan-zoo"),
         "plain": (8, [8, 8], 3, "off")}


def reference(name):
    return dict(np.load(FIXTURES / f"{name}.npz"))


def nchw(x):
    return np.transpose(ops.convert_to_numpy(x), (0, 3, 1, 2))


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def outputs(gan, ref, suffix="", d=True):
    """The fixture's outputs computed by ganzoo, NCHW like the reference. ``suffix``
    "_full": the fade-in finished (ganzoo's alpha 1, the reference's 0)."""
    def generate(generator):
        if suffix:
            return generator(ref["z"], alpha=None, training=True)
        return gan.generator_forward(ref["z"], training=True, generator=generator)

    out = {f"images{suffix}": nchw(generate(gan.ema_generator)),
           f"images_netG{suffix}": nchw(generate(gan.generator))}
    if d:
        reals = ref["reals_uint8"].astype("float32") / np.float32(127.5) - 1
        for key, x in (("real", nhwc(reals)), ("fake", nhwc(ref[f"images{suffix}"]))):
            logits = (gan.discriminator(x) if suffix
                      else gan.discriminator_forward(x)[:, None])
            out[f"d_{key}{suffix}"] = ops.convert_to_numpy(logits)
    return out


def assert_matches(name, ref, got):
    for key, value in got.items():
        assert value.shape == ref[key].shape, key
        err = float(np.abs(value - ref[key]).max())
        assert err <= ATOL, f"{name} {key}: max |ganzoo - reference| = {err:.2e} > {ATOL}"


def check_sizes(gan, name):
    latent, widths, channels, stddev = SIZES[name]
    size = 4 * 2 ** (len(widths) - 1)
    assert gan.latent_dim == latent and gan.ema_generator is not None
    assert gan.generator.image_size == size and gan.generator.channels == channels
    assert [gan.generator.filters(lv) for lv in range(len(widths))] == widths
    assert gan.discriminator.stddev == stddev


@pytest.mark.parametrize("name", list(SIZES))
def test_imported_gan_reproduces_the_reference(tmp_path, name):
    ref = reference(name)
    out = tmp_path / f"{name}.keras"
    gan = import_file(FORMAT, FIXTURES / f"{name}.pt", out)
    check_sizes(gan, name)
    assert_matches(name, ref, outputs(gan, ref))
    # The sampling path clips the same images to [-1, 1].
    clipped = gan.generate_from_latents(ref["z"])
    np.testing.assert_allclose(nchw(clipped), np.clip(ref["images"], -1, 1), atol=ATOL)
    # The written model holds the same networks and stage, and samples.
    loaded = ganzoo.load(out)
    assert loaded.stage == gan.stage
    assert_matches(name, ref, outputs(loaded, ref))
    images = loaded.generate(3, seed=3)
    size, channels = gan.generator.image_size, gan.generator.channels
    assert images.shape == (3, size, size, channels)
    assert np.abs(images).max() <= 1 and float(images.std()) > 0.01


def test_a_mid_fade_checkpoint_keeps_its_stage_and_alpha(tmp_path):
    """rgb was saved halfway through the 16x16 fade-in (the reference's alpha 0.5,
    the old path's weight): ganzoo's alpha is 1 - 0.5; finishing the fade-in gives
    the reference's alpha-0 outputs."""
    ref = reference("rgb")
    out = tmp_path / "rgb.keras"
    gan = import_file(FORMAT, FIXTURES / "rgb.pt", out)
    assert (gan.stage.name, gan.fading) == ("16x16-fade", True)
    assert gan.progress_info() == {"stage": "16x16-fade", "resolution": 16, "alpha": 0.5}
    assert gan.schedule.alpha_at(gan.step) == 0.5
    assert_matches("rgb", ref, outputs(gan, ref, "_full"))

    loaded = ganzoo.load(out)
    assert loaded.progress_info() == gan.progress_info() and loaded.step == gan.step


def test_the_written_model_fine_tunes_on_from_its_stage(tmp_path):
    out = tmp_path / "rgb.keras"
    gan = import_file(FORMAT, FIXTURES / "rgb.pt", out)
    loaded = ganzoo.load(out)
    x = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 3)).astype("float32")
    before = [np.array(w) for w in loaded.generator.trainable_weights]
    loaded.fit(x, batch_size=4, shuffle=False, verbose=0)
    assert loaded.step == gan.step + 2 and loaded.fading
    assert float(ops.convert_to_numpy(loaded.alpha)) > 0.5
    after = loaded.generator.trainable_weights
    assert any(not np.allclose(a, np.array(b)) for a, b in zip(before, after, strict=True))


def test_the_reference_stddev_is_needed():
    """With NVIDIA's minibatch stddev (ganzoo's default) the same weights give other
    D outputs: the groups of 4 in a batch of 8 are made differently."""
    from ganzoo_progan.discriminator import ProGANDiscriminator

    ref = reference("rgb")
    gan = import_file(FORMAT, FIXTURES / "rgb.pt")
    nvidia = ProGANDiscriminator(16, 3, gan.discriminator.base_filters,
                                 gan.discriminator.max_filters, stddev="nvidia")
    nvidia.build((None, 16, 16, 3))
    nvidia.set_weights(gan.discriminator.get_weights())
    reals = nhwc(ref["reals_uint8"].astype("float32") / np.float32(127.5) - 1)
    err = np.abs(ops.convert_to_numpy(nvidia(reals)) - ref["d_real_full"]).max()
    assert err > 10 * ATOL


def test_a_bare_generator_state_dict_imports_with_a_new_discriminator():
    ref = reference("gray")
    gan = import_file(FORMAT, FIXTURES / "gray_G.pth")  # gray's avgG
    assert (gan.stage.name, gan.latent_dim) == ("16x16-stabilize", 8)
    got = outputs(gan, ref, d=False)
    assert_matches("gray", ref, {"images": got["images"]})
    assert_matches("gray", {"images": ref["images"]}, {"images": got["images_netG"]})


def invoke(*args):
    from ganzoo_cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_import_writes_a_model_that_reproduces_the_reference(tmp_path):
    out = tmp_path / "rgb.keras"
    result = invoke("import", FORMAT, FIXTURES / "rgb.pt", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out), f"{FORMAT}: ProGAN, 16x16, latent_dim 8, EMA generator kept"]
    ref = reference("rgb")
    assert_matches("rgb", ref, outputs(ganzoo.load(out), ref))
    assert FORMAT in list_importers()
    assert FORMAT in invoke("import", "--list").output.splitlines()


@pytest.mark.parametrize("case, message", [
    ("stylegan2_pickle", "refusing to load"),
    ("truncated", "not a readable PyTorch .pth file"),
    ("text", "not a PyTorch .pth file"),
    ("dcgan_state_dict", "not a pytorch_GAN_zoo PGAN checkpoint"),
    ("option", "takes no option discriminator"),
])
def test_cli_bad_input_is_one_error_line(tmp_path, case, message):
    good = FIXTURES / "gray.pt"
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "notes.pt"
    text.write_text("hello")
    args = {"stylegan2_pickle": (STYLEGAN2_PICKLE,), "truncated": (truncated,),
            "text": (text,), "dcgan_state_dict": (DCGAN_NETG,),
            "option": (good, "--discriminator", good)}[case]
    result = invoke("import", FORMAT, *args, "--out", tmp_path / "m.keras")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert message in lines[0], lines[0]
    assert not (tmp_path / "m.keras").exists()


def _patched(monkeypatch, nets, config):
    from ganzoo_progan import importer

    monkeypatch.setattr(importer, "read", lambda path: (nets, config))


@pytest.mark.parametrize("change, message", [
    ({"categoryVectorDim": 3}, "is an AC-GAN"),
    ({"lossCriterion": "DCGAN"}, "ends in tanh"),
    ({"perChannelNormalization": False}, "no pixel normalization"),
    ({"leakyReluLeak": 0.1}, "slope 0.1"),
    ({"depthOtherScales": [4, 4]}, "config's widths [8, 4, 4]"),
])
def test_unsupported_settings_are_one_clear_error(monkeypatch, change, message):
    from ganzoo_progan import importer

    nets, config = importer.read(FIXTURES / "gray.pt")
    _patched(monkeypatch, nets, {**config, **change})
    with pytest.raises(GanzooError, match=message.replace("[", r"\[").replace("]", r"\]")):
        import_file(FORMAT, FIXTURES / "gray.pt")


def test_networks_ganzoo_cannot_hold_are_one_clear_error(monkeypatch):
    from ganzoo_progan import importer

    assert importer.widths([512] * 4 + [256, 128, 64, 32, 16], "f") == {
        "base_filters": 8192, "max_filters": 512}  # the published ones: NVIDIA's
    with pytest.raises(GanzooError, match=r"widths \[4, 3, 2\] per scale"):
        importer.widths([4, 3, 2], "f")
    nets, _ = importer.read(FIXTURES / "gray.pt")
    g = {**nets["netG"], "extra.weight": np.zeros(2, "float32")}
    _patched(monkeypatch, {"netG": g}, None)
    with pytest.raises(GanzooError, match="weights PGAN's network does not: extra.weight"):
        import_file(FORMAT, FIXTURES / "gray.pt")
    d = {k: v for k, v in nets["netD"].items() if "decisionLayer" not in k}
    _patched(monkeypatch, {**nets, "netD": d}, None)
    with pytest.raises(GanzooError, match="netD of .* has no 'decisionLayer.module.weight'"):
        import_file(FORMAT, FIXTURES / "gray.pt")


@pytest.mark.parametrize("batch", [1, 5, 8])
def test_the_reference_stddev_groups_consecutive_samples_with_unbiased_variance(batch):
    """Groups of 4 consecutive samples; a batch 4 does not divide is one group; a
    group of one gets zeros (the fixtures cover batches of 8 and 6)."""
    from ganzoo_progan.blocks import ConsecutiveStdDev

    x = np.random.default_rng(batch).normal(size=(batch, 2, 2, 3)).astype("float32")
    got = ops.convert_to_numpy(ConsecutiveStdDev(4)(x))
    group = 4 if batch % 4 == 0 else batch
    expected = np.zeros(batch, "float32")
    if group > 1:
        groups = x.reshape(batch // group, group, -1).astype("float64")
        per_group = np.sqrt(groups.var(axis=1, ddof=1) + 1e-8).mean(axis=1)
        expected = np.repeat(per_group, group)
    np.testing.assert_array_equal(got[..., :3], x)
    np.testing.assert_allclose(got[..., 3], np.broadcast_to(expected[:, None, None],
                                                            (batch, 2, 2)), atol=1e-6)

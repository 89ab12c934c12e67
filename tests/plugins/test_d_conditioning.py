"""The backbones' ``d_conditioning``: sagan/biggan, cgan and stylegan2 build D's head from
the registry (ganzoo.conditioning); projection, cgan's input map and stylegan2's cmap stay
as they were."""

import numpy as np
import pytest
from ganzoo_dcgan.discriminator import build_discriminator as dcgan_discriminator
from ganzoo_sagan.discriminator import build_discriminator as sagan_discriminator
from ganzoo_stylegan2.discriminator import (
    build_discriminator as stylegan2_discriminator,
)
from keras import ops

import ganzoo
from ganzoo.conditioning.head import find
from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.layers import EqualizedDense, ProjectionHead

SAGAN = {"image_size": 16, "channels": 1, "num_classes": 4, "latent_dim": 8,
         "base_filters": 2, "batch_size": 4}
CGAN = {"image_size": 16, "channels": 1, "num_classes": 4, "latent_dim": 8,
        "base_filters": 4, "batch_size": 4}
STYLEGAN2 = {"image_size": 16, "channels": 1, "num_classes": 4, "latent_dim": 8, "w_dim": 8,
             "base_filters": 64, "max_filters": 8, "batch_size": 4}
IMAGES = np.zeros((2, 16, 16, 1), "float32")
LABELS = np.array([0, 3], "int32")


def config(arch, **overrides):
    base = SAGAN if arch in ("sagan", "biggan") else STYLEGAN2 if arch == "stylegan2" else CGAN
    return ganzoo.get_architecture(arch).make_config(**{**base, **overrides})


@pytest.mark.parametrize("arch", ["sagan", "biggan"])
def test_projection_stays_the_default(arch):
    d = sagan_discriminator(config(arch))
    assert isinstance(d.get_layer("projection"), ProjectionHead)
    assert tuple(d([IMAGES, LABELS]).shape) == (2, 1)


BUILD = {"cgan": dcgan_discriminator, "sagan": sagan_discriminator,
         "biggan": sagan_discriminator, "stylegan2": stylegan2_discriminator}


@pytest.mark.parametrize(("arch", "name", "keys"), [
    ("sagan", "acgan", {"logits", "class_logits"}),
    ("biggan", "mhgan", {"logits", "class_logits"}),
    ("cgan", "reacgan", {"logits", "embed", "proxy"}),
    ("stylegan2", "acgan", {"logits", "class_logits"}),
    ("stylegan2", "contragan", {"logits", "embed", "proxy"}),
])
def test_registered_head_replaces_it(arch, name, keys):
    d = BUILD[arch](config(arch, d_conditioning=name))
    out = d([IMAGES, LABELS])
    assert set(out) == keys and tuple(out["logits"].shape) == (2, 1)
    assert find(d).name == name
    if arch == "cgan":  # the head takes the labels' place at the input
        assert "label_map" not in [layer.name for layer in d.layers]


@pytest.mark.parametrize("arch", ["biggan", "biggan-deep"])
def test_biggan_builds_read_it(arch):
    # biggan's own D (not SAGAN's, as above) takes the config's conditioning too
    extra = {"shared_dim": 4} if arch == "biggan" else {"latent_dim": 4, "shared_dim": 4}
    gan = ganzoo.build(arch, **{**SAGAN, **extra, "attention_resolution": 0,
                                "d_conditioning": "acgan"})
    assert gan.conditioning.name == "acgan" and find(gan.discriminator).name == "acgan"


def test_stylegan2_keeps_the_references_cmap_by_default():
    d = stylegan2_discriminator(config("stylegan2"))
    assert d.d_conditioning == "cmap" and find(d) is None
    assert {"b4_out", "mapping"} <= {layer.name for layer in d.layers}
    assert "d_conditioning" not in d.get_config()  # saved configs of cmap D's unchanged
    assert tuple(d([IMAGES, LABELS]).shape) == (2, 1)


def test_stylegan2_head_sits_on_the_epilogue_features_with_equalized_lr():
    d = stylegan2_discriminator(config("stylegan2", d_conditioning="acgan"))
    names = {layer.name for layer in d.layers}
    assert "conditioning_head" in names and not names & {"b4_out", "mapping"}
    head = d.get_layer("conditioning_head")
    assert isinstance(head.parts["adversarial"], EqualizedDense)
    assert head.parts["classifier"].kernel.shape == (8, 4)  # b4_fc's width, 4 classes
    assert d.get_config()["d_conditioning"] == "acgan"
    # the logit and class logits are those of the head on b4_fc's output
    x = ops.convert_to_tensor(IMAGES + 0.5)
    h = d.from_rgb(x)
    for conv0, conv1, skip in d.blocks:
        h = conv1(conv0(h)) + skip(h)
    h = d.epilogue_conv(d.mbstd(h))
    h = ops.leaky_relu(d.fc(ops.reshape(h, (2, -1))), 0.2) * np.sqrt(2)
    expected = head([h, LABELS])
    for key, value in d([IMAGES + 0.5, LABELS]).items():
        np.testing.assert_allclose(ops.convert_to_numpy(value),
                                   ops.convert_to_numpy(expected[key]), rtol=1e-5, atol=1e-6)


def test_stylegan2_unconditional_takes_only_cmap():
    with pytest.raises(GanzooError, match="d_conditioning.*takes only 'cmap'"):
        config("stylegan2", num_classes=0, d_conditioning="none")
    with pytest.raises(UnknownNameError, match="did you mean 'reacgan'"):
        stylegan2_discriminator(config("stylegan2", d_conditioning="reacgn"))


def test_cgan_keeps_its_input_map_by_default():
    d = dcgan_discriminator(config("cgan"))
    assert "label_map" in [layer.name for layer in d.layers]
    assert find(d) is None


def test_unknown_name_is_one_line_listing_the_valid_ones():
    with pytest.raises(UnknownNameError) as info:
        dcgan_discriminator(config("cgan", d_conditioning="contragn"))
    message = str(info.value)
    assert "\n" not in message and "did you mean 'contragan'" in message
    assert "input" in message and "projection" in message


def test_set_on_the_command_line_reaches_the_config():
    # `--set d_conditioning=acgan` goes through make_config's string conversion
    assert config("sagan", d_conditioning="acgan").d_conditioning == "acgan"


def test_conformance_kit_with_a_conditioning(tmp_path):
    from ganzoo.testing import run_architecture_test

    gan = run_architecture_test("cgan", {**CGAN, "d_conditioning": "adcgan"},
                                tmp_dir=str(tmp_path))
    assert gan.conditioning.name == "adcgan"


@pytest.mark.slow  # as stylegan2's other training tests (its step traces for seconds)
def test_stylegan2_trains_with_a_conditioning_and_saves_it(tmp_path):
    # no lazy regularizers and no mixing: one traced step
    gan = ganzoo.build("stylegan2", **{**STYLEGAN2, "image_size": 8}, d_conditioning="reacgan",
                       r1_gamma=0.0, pl_weight=0.0, style_mixing_prob=0.0)
    assert gan.conditioning.name == "reacgan"
    images = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    logs = gan.fit(images, np.array([0, 1, 2, 3]), batch_size=4, verbose=0).history
    assert all(np.isfinite(logs[k][0]) for k in ("d_loss", "g_loss", "d_cond", "g_cond"))
    assert logs["d_cond"][0] != 0
    gan.save(tmp_path / "gan.keras")
    loaded = ganzoo.load(tmp_path / "gan.keras")
    assert loaded.conditioning.name == "reacgan"
    for a, b in zip(loaded.discriminator.weights, gan.discriminator.weights, strict=True):
        np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))

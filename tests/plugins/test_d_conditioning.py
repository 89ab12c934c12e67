"""The backbones' ``d_conditioning``: sagan/biggan and cgan build D's head from the registry
(ganzoo.conditioning); projection and cgan's input map stay as they were."""

import numpy as np
import pytest
from ganzoo_dcgan.discriminator import build_discriminator as dcgan_discriminator
from ganzoo_sagan.discriminator import build_discriminator as sagan_discriminator

import ganzoo
from ganzoo.conditioning.head import find
from ganzoo.errors import UnknownNameError
from ganzoo.layers import ProjectionHead

SAGAN = {"image_size": 16, "channels": 1, "num_classes": 4, "latent_dim": 8,
         "base_filters": 2, "batch_size": 4}
CGAN = {"image_size": 16, "channels": 1, "num_classes": 4, "latent_dim": 8,
        "base_filters": 4, "batch_size": 4}
IMAGES = np.zeros((2, 16, 16, 1), "float32")
LABELS = np.array([0, 3], "int32")


def config(arch, **overrides):
    base = SAGAN if arch in ("sagan", "biggan") else CGAN
    return ganzoo.get_architecture(arch).make_config(**{**base, **overrides})


@pytest.mark.parametrize("arch", ["sagan", "biggan"])
def test_projection_stays_the_default(arch):
    d = sagan_discriminator(config(arch))
    assert isinstance(d.get_layer("projection"), ProjectionHead)
    assert tuple(d([IMAGES, LABELS]).shape) == (2, 1)


@pytest.mark.parametrize(("arch", "name", "keys"), [
    ("sagan", "acgan", {"logits", "class_logits"}),
    ("biggan", "mhgan", {"logits", "class_logits"}),
    ("cgan", "reacgan", {"logits", "embed", "proxy"}),
])
def test_registered_head_replaces_it(arch, name, keys):
    build = dcgan_discriminator if arch == "cgan" else sagan_discriminator
    d = build(config(arch, d_conditioning=name))
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

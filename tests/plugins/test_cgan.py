"""cgan: conformance, label conditioning in G and D, config errors.

That trained samples show their class is measured on real Fashion-MNIST
(docs/architectures/cgan.md), not here: it takes minutes.
"""

import keras
import numpy as np
import pytest
from ganzoo_dcgan.discriminator import build_discriminator
from ganzoo_dcgan.generator import build_generator

import ganzoo
from ganzoo.testing import run_architecture_test

TINY = {
    "image_size": 16,
    "channels": 1,
    "latent_dim": 8,
    "base_filters": 4,
    "kernel_size": 4,
    "num_classes": 3,
    "label_dim": 4,
}


def test_cgan_conformance():
    gan = run_architecture_test("cgan", TINY, steps=2)
    assert gan.num_classes == 3
    assert gan.loss_fn.name == "non_saturating"
    assert np.isclose(float(gan.d_optimizer.beta_1), 0.5)


def test_defaults_and_shared_backbone():
    config = ganzoo.get_architecture("cgan").make_config()
    assert config.num_classes == 10 and config.base_filters == 128
    config = ganzoo.get_architecture("cgan").make_config(**TINY)
    g, d = build_generator(config), build_discriminator(config)
    # The label enters D as one extra image channel; the rest is DCGAN's D.
    assert d.get_layer("image_and_label").output.shape[1:] == (16, 16, 2)
    assert d.get_layer("down1").strides == (2, 2)
    assert g.get_layer("z_and_label").output.shape[-1] == 8 + 4
    assert g.output_shape == (None, 16, 16, 1)


def test_discriminator_depends_on_label():
    config = ganzoo.get_architecture("cgan").make_config(**TINY)
    d = build_discriminator(config)
    x = np.zeros((2, 16, 16, 1), "float32")
    a = keras.ops.convert_to_numpy(d([x, np.array([0, 0], "int32")]))
    b = keras.ops.convert_to_numpy(d([x, np.array([1, 2], "int32")]))
    assert not np.allclose(a, b)


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"num_classes": 0}, "num_classes"),
        ({"num_classes": 1}, "num_classes"),
        ({"label_dim": 0}, "label_dim"),
        ({"image_size": 48}, "image_size"),
    ],
)
def test_config_errors(overrides, key):
    with pytest.raises(ganzoo.ConfigError, match=rf"{key}=.*: use"):
        ganzoo.get_architecture("cgan").make_config(**overrides)

"""dcgan: conformance at 16 and 32 pixels, faithfulness to Radford et al. 2016, config errors."""

import keras
import numpy as np
import pytest
from ganzoo_dcgan.discriminator import build_discriminator, dcgan_discriminator
from ganzoo_dcgan.generator import build_generator, dcgan_generator

import ganzoo
from ganzoo.testing import run_architecture_test

TINY = {"latent_dim": 8, "base_filters": 4, "kernel_size": 4}


# Save/load is checked once (16x16); it does not depend on the size.
@pytest.mark.parametrize("image_size, channels", [(16, 1), (32, 3)])
def test_dcgan_conformance(image_size, channels):
    gan = run_architecture_test(
        "dcgan",
        {**TINY, "image_size": image_size, "channels": channels},
        steps=2,
        check_saving=image_size == 16,
    )
    assert gan.generator.output_shape == (None, image_size, image_size, channels)
    assert gan.discriminator.output_shape == (None, 1)


def test_networks_from_config():
    config = ganzoo.get_architecture("dcgan").make_config(image_size=16, **TINY)
    g, d = build_generator(config), build_discriminator(config)
    assert g.output_shape == (None, 16, 16, 3) and d.output_shape == (None, 1)


def test_paper_defaults_and_training_setup():
    config = ganzoo.get_architecture("dcgan").make_config()
    assert (config.image_size, config.latent_dim, config.batch_size) == (64, 100, 128)
    gan = ganzoo.build("dcgan", image_size=16, **TINY)
    assert gan.loss_fn.name == "non_saturating"
    for opt in (gan.g_optimizer, gan.d_optimizer):
        assert type(opt).__name__ == "Adam"
        assert np.isclose(float(opt.learning_rate), 2e-4)
        assert np.isclose(float(opt.beta_1), 0.5)
    # Recompiling with another loss keeps the paper's optimizers.
    gan.compile(loss="hinge")
    assert np.isclose(float(gan.g_optimizer.beta_1), 0.5)


def test_figure1_widths():
    # Figure 1 at 64x64 has widths 1024, 512, 256, 128 (base 128); base 8 keeps
    # the test small: 64, 32, 16, 8.
    g = dcgan_generator(100, 64, 3, base_filters=8)
    widths = [la.output.shape[-1] for la in g.layers if "Conv" in type(la).__name__]
    assert g.get_layer("project_reshape").output.shape[1:] == (4, 4, 64)
    assert widths == [32, 16, 8, 3]
    d = dcgan_discriminator(64, 3, base_filters=8)
    convs = [la for la in d.layers if type(la).__name__ == "Conv2D"]
    assert [c.filters for c in convs] == [8, 16, 32, 64]
    assert all(c.strides == (2, 2) for c in convs)
    assert d.get_layer("flatten").output.shape[1:] == (4 * 4 * 64,)


def test_initialization_is_normal_002():
    g = dcgan_generator(100, 16, 1, base_filters=32)
    kernel = keras.ops.convert_to_numpy(g.get_layer("project").kernel)  # 100 x 1024
    assert kernel.size > 100_000
    assert abs(kernel.std() - 0.02) < 0.001 and abs(kernel.mean()) < 0.001
    gamma = keras.ops.convert_to_numpy(g.get_layer("project_bn").gamma)
    assert abs(gamma.mean() - 1.0) < 0.01 and 0.01 < gamma.std() < 0.03
    # Each layer draws its own values (a shared unseeded initializer repeats them).
    a = keras.ops.convert_to_numpy(g.get_layer("up1").kernel)
    b = keras.ops.convert_to_numpy(g.get_layer("to_image").kernel)
    assert not np.allclose(a.ravel()[:32], b.ravel()[:32])


def _next_layer(model, layer):
    node = layer._outbound_nodes[0]
    return node.operation


def test_discriminator_layout():
    d = dcgan_discriminator(16, 3, base_filters=8)
    kinds = [type(la).__name__ for la in d.layers]
    # No BN right after the input conv; BN after every later conv.
    assert type(_next_layer(d, d.get_layer("down1"))).__name__ == "LeakyReLU"
    for name in ("down2",):
        assert type(_next_layer(d, d.get_layer(name))).__name__ == "BatchNormalization"
    assert not any("Pool" in k for k in kinds)
    dense = [la for la in d.layers if type(la).__name__ == "Dense"]
    assert len(dense) == 1 and dense[0].units == 1  # no hidden dense layers
    slopes = [
        float(la.negative_slope) for la in d.layers if type(la).__name__ == "LeakyReLU"
    ]
    assert slopes == [0.2, 0.2]


def test_generator_output_is_tanh_without_bn():
    g = dcgan_generator(8, 16, 1, base_filters=8)
    assert type(_next_layer(g, g.get_layer("to_image"))).__name__ == "Activation"
    assert g.layers[-1].activation is keras.activations.tanh
    layer = g.get_layer("to_image")
    layer.kernel.assign(100.0 * keras.ops.sign(layer.kernel))  # saturate tanh
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    out = keras.ops.convert_to_numpy(g(z))
    assert out.min() >= -1 and out.max() <= 1 and np.abs(out).max() > 0.99


def _biased(model):
    return sorted(la.name for la in model.layers if getattr(la, "use_bias", False))


def test_d_base_filters_and_use_bias():
    """Defaults: D as wide as G, biases where no batch norm follows; the options give
    a narrower D and no biases at all (the PyTorch examples' DCGAN)."""
    arch = ganzoo.get_architecture("dcgan")
    default = arch.make_config(image_size=16, **TINY)
    assert (default.d_base_filters, default.use_bias) == (0, True)
    g, d = build_generator(default), build_discriminator(default)
    assert _biased(g) == ["to_image"] and _biased(d) == ["down1", "logit"]
    assert d.get_layer("down1").filters == 4
    config = arch.make_config(image_size=16, d_base_filters=3, use_bias=False, **TINY)
    g, d = build_generator(config), build_discriminator(config)
    assert _biased(g) == [] and _biased(d) == []
    assert [d.get_layer(f"down{i}").filters for i in (1, 2)] == [3, 6]
    assert g.get_layer("up1").filters == 4  # G keeps base_filters
    cgan = ganzoo.get_architecture("cgan").make_config(image_size=16, d_base_filters=3,
                                                       use_bias=False, **TINY)
    assert _biased(build_discriminator(cgan)) == []
    assert build_discriminator(cgan).get_layer("down1").filters == 3


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"image_size": 24}, "image_size"),
        ({"image_size": 8}, "image_size"),
        ({"channels": 2}, "channels"),
        ({"base_filters": 0}, "base_filters"),
        ({"kernel_size": 1}, "kernel_size"),
        ({"d_base_filters": -1}, "d_base_filters"),
        ({"beta_1": 1.0}, "beta_1"),
        ({"num_classes": 10}, "num_classes"),
    ],
)
def test_config_errors_name_key_and_fix(overrides, key):
    with pytest.raises(ganzoo.ConfigError, match=rf"{key}=.*: use"):
        ganzoo.get_architecture("dcgan").make_config(**overrides)


def test_unknown_config_key_names_the_close_one():
    with pytest.raises(ganzoo.ConfigError, match="base_filters"):
        ganzoo.get_architecture("dcgan").make_config(base_filter=8)

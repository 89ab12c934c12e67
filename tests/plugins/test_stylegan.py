"""stylegan: AdaIN styles, W space, the official defaults, conformance."""

import keras
import numpy as np
import pytest
from ganzoo_stylegan.generator import StyleLayer
from keras import ops

import ganzoo
from ganzoo.testing import run_architecture_test

TINY = {"image_size": 8, "channels": 1, "latent_dim": 8, "w_dim": 8, "mapping_layers": 2,
        "base_filters": 64, "max_filters": 8, "batch_size": 4}


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_adain_gives_every_channel_the_style_statistics():
    layer = StyleLayer(6, 8, conv=False)
    x = np.random.default_rng(0).normal(2.0, 3.0, size=(3, 8, 8, 6)).astype("float32")
    w = np.random.default_rng(1).normal(size=(3, 5)).astype("float32")
    out = numpy(layer(x, w, noise_mode="none"))
    scale, bias = np.split(numpy(layer.adain.style(w)), 2, axis=-1)
    np.testing.assert_allclose(out.mean(axis=(1, 2)), bias, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(1, 2)), np.abs(1.0 + scale), rtol=1e-3)
    # Another w, other statistics: the style really comes from w.
    other = numpy(layer(x, w[::-1], noise_mode="none"))
    assert not np.allclose(other.mean(axis=(1, 2)), out.mean(axis=(1, 2)), atol=1e-3)


def test_truncation_and_mixing_in_w():
    gan = ganzoo.build("stylegan", **TINY)
    w_avg = gan.ema_generator.mapping.w_avg
    w_avg.assign(np.random.default_rng(2).normal(size=w_avg.shape).astype("float32"))
    at_zero = gan.generate(4, seed=0, truncation_psi=0.0)
    np.testing.assert_allclose(at_zero, np.broadcast_to(at_zero[:1], at_zero.shape), atol=1e-5)
    np.testing.assert_allclose(gan.generate(4, seed=0, truncation_psi=1.0), gan.generate(4, seed=0),
                               atol=1e-5)
    z = np.random.default_rng(3).normal(size=(3, 8)).astype("float32")
    np.testing.assert_allclose(gan.style_mix(z, z, 2), gan.generate_from_latents(z), atol=1e-5)


def test_official_defaults():
    config = ganzoo.get_architecture("stylegan").make_config()
    assert (config.mapping_layers, config.w_dim, config.mapping_lr_multiplier) == (8, 512, 0.01)
    assert (config.r1_gamma, config.style_mixing_prob) == (10.0, 0.9)
    gan = ganzoo.build("stylegan", **TINY)
    assert gan.loss_fn.name == "non_saturating"
    assert [(r.name, r.weight, r.interval) for r in gan.regularizer_list] == [("r1", 10.0, 1)]
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(gan.g_optimizer.beta_2) == pytest.approx(0.99)
    assert gan.generator.num_ws == 4  # two AdaIN layers per resolution (4x4, 8x8)


def test_config_errors_name_key_and_fix():
    with pytest.raises(ganzoo.ConfigError, match=r"image_size=.*: use"):
        ganzoo.get_architecture("stylegan").make_config(image_size=4)


@pytest.mark.slow
def test_stylegan_conformance():
    gan = run_architecture_test("stylegan", TINY, steps=2)
    assert gan.generate(2, seed=0).shape == (2, 8, 8, 1)
    assert keras.ops.convert_to_numpy(gan.generator.mapping.w_avg).any()  # w_avg tracked

"""SAGAN: conformance, paper defaults (TTUR, hinge), cBN labels, SN state on reload."""

import os

import keras
import numpy as np
import pytest
from ganzoo_sagan.discriminator import build_discriminator
from ganzoo_sagan.generator import build_generator

import ganzoo
from ganzoo.layers import ConditionalBatchNormalization, SelfAttention
from ganzoo.testing import run_architecture_test

TINY = {
    "image_size": 16,
    "channels": 1,
    "num_classes": 4,
    "latent_dim": 8,
    "base_filters": 2,
    "batch_size": 4,
}


def _arch():
    return ganzoo.get_architecture("sagan")


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def _sn_u(model):
    return {v.path: _numpy(v) for v in model.variables if v.path.endswith("sn_u")}


@pytest.fixture(scope="module")
def trained():
    """A tiny SAGAN after the conformance kit's training checks.

    The kit's save/load check (reload, then train on identically) runs in
    test_biggan.py on the same networks; here reloading is checked directly.
    """
    return run_architecture_test("sagan", TINY, steps=2, check_saving=False)


def test_conformance_hinge_and_ttur(trained):
    gan = trained
    assert gan.loss_fn.name == "hinge" and gan.d_steps == 1
    assert gan.regularizer_list == []
    for opt, rate in ((gan.g_optimizer, 1e-4), (gan.d_optimizer, 4e-4)):
        assert type(opt).__name__ == "Adam"
        assert float(opt.learning_rate) == pytest.approx(rate)
        assert (float(opt.beta_1), float(opt.beta_2)) == (0.0, pytest.approx(0.9))


def test_cbn_generator_follows_labels(trained):
    g = trained.generator
    z = np.random.default_rng(0).standard_normal((2, 8)).astype("float32")
    z = np.concatenate([z[:1], z[:1]])  # the same z twice
    same = _numpy(g([z, np.array([1, 1], "int32")], training=False))
    differ = _numpy(g([z, np.array([1, 2], "int32")], training=False))
    np.testing.assert_allclose(same[0], same[1], atol=1e-6)
    assert not np.allclose(differ[0], differ[1])
    # Every block of G is conditioned.
    norms = [la for la in g.layers if isinstance(la, ConditionalBatchNormalization)]
    assert len(norms) == 2 * 2  # two blocks (4 -> 8 -> 16), two cBNs each


def test_spectral_norm_state_survives_save_and_load(trained, tmp_path):
    gan = trained
    before = {**_sn_u(gan.generator), **_sn_u(gan.discriminator)}
    assert len(before) > 10  # every conv, linear and embedding of G and D
    path = os.path.join(tmp_path, "sagan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    after = {**_sn_u(loaded.generator), **_sn_u(loaded.discriminator)}
    assert before.keys() == after.keys()
    for key, value in before.items():
        np.testing.assert_array_equal(value, after[key], err_msg=key)


def test_paper_defaults_and_attention_placement():
    config = _arch().make_config()
    assert (config.image_size, config.latent_dim, config.num_classes) == (128, 128, 10)
    assert config.resolved_attention_resolution == 32
    assert config.g_multipliers == (16, 16, 8, 4, 2, 1)
    assert _arch().make_config(image_size=32).resolved_attention_resolution == 16
    small = _arch().make_config(
        **{**TINY, "image_size": 32, "attention_resolution": 16}
    )
    for model in (build_generator(small), build_discriminator(small)):
        (layer,) = [la for la in model.layers if isinstance(la, SelfAttention)]
        assert layer.output.shape[1] == 16 and layer.spectral_norm


def test_unconditional_variant():
    config = _arch().make_config(**{**TINY, "num_classes": 0})
    g, d = build_generator(config), build_discriminator(config)
    images = g(np.zeros((2, 8), "float32"))
    assert images.shape == (2, 16, 16, 1)
    assert d(images).shape == (2, 1)


def test_config_errors():
    with pytest.raises(ganzoo.ConfigError, match="attention_resolution"):
        _arch().make_config(image_size=32, attention_resolution=32)
    with pytest.raises(ganzoo.ConfigError, match="channel_multipliers"):
        _arch().make_config(image_size=32, channel_multipliers=(4, 4))
    with pytest.raises(ganzoo.ConfigError, match="image_size"):
        _arch().make_config(image_size=8)

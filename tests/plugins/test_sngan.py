"""SN-GAN: conformance, StudioGAN's CIFAR-10 setup, SN only in D, cBN in G, D's 8x8 end."""

import dataclasses

import keras
import numpy as np
import pytest
from ganzoo_sagan.discriminator import build_sngan_discriminator
from ganzoo_sagan.generator import build_sngan_generator

import ganzoo
from ganzoo.conditioning.head import find
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
    return ganzoo.get_architecture("sngan")


def _config(**overrides):
    return _arch().make_config(**{**TINY, **overrides})


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def _owners(model, suffix):
    """Paths of the layers (sub-layers included) that own a variable named ``suffix``."""
    return {v.path.rsplit("/", 1)[0] for v in model.variables
            if v.path.rsplit("/", 1)[-1] == suffix}


@pytest.fixture(scope="module")
def trained():
    """A tiny conditional SN-GAN after the conformance kit's training checks.

    With one D step per G step: TensorFlow traces SN-GAN's five D steps (the
    engine's loop, tested with wgan) in 30 s here. The kit's save/load check
    runs on the same blocks in test_biggan.py.
    """
    return run_architecture_test("sngan", {**TINY, "d_steps": 1}, steps=1,
                                 check_saving=False)


def test_studiogan_training_setup():
    gan = ganzoo.build("sngan", **TINY)
    assert gan.loss_fn.name == "hinge" and gan.d_steps == 5
    assert gan.regularizer_list == [] and not gan.use_ema
    for opt in (gan.g_optimizer, gan.d_optimizer):
        assert type(opt).__name__ == "Adam"
        assert float(opt.learning_rate) == pytest.approx(2e-4)
        assert float(opt.beta_1) == pytest.approx(0.5)
        assert float(opt.beta_2) == pytest.approx(0.999)
        assert float(opt.epsilon) == pytest.approx(1e-6)


def test_spectral_norm_in_every_d_kernel_and_nowhere_in_g(trained):
    g, d = trained.generator, trained.discriminator
    kernels = _owners(d, "kernel") | _owners(d, "embeddings")
    # 2 down blocks (2 convs + 1x1 shortcut), one at 4x4 (identity shortcut), the
    # projection head's linear and class embedding
    assert len(kernels) == 2 * 3 + 2 + 2
    assert kernels == _owners(d, "sn_u")
    assert _owners(g, "sn_u") == set() and _owners(g, "kernel")
    for model in (g, d):
        assert not [la for la in model.layers if isinstance(la, SelfAttention)]
    sn_g = build_sngan_generator(_config(g_spectral_norm=True))
    assert _owners(sn_g, "kernel") == _owners(sn_g, "sn_u")


def test_cbn_generator_follows_labels(trained):
    g = trained.generator
    z = np.random.default_rng(0).standard_normal((1, 8)).astype("float32")
    z = np.concatenate([z, z])
    same = _numpy(g([z, np.array([1, 1], "int32")], training=False))
    differ = _numpy(g([z, np.array([1, 2], "int32")], training=False))
    np.testing.assert_allclose(same[0], same[1], atol=1e-6)
    assert not np.allclose(differ[0], differ[1])
    norms = [la for la in g.layers if isinstance(la, ConditionalBatchNormalization)]
    assert len(norms) == 2 * 2  # two blocks (4 -> 8 -> 16), two cBNs each
    # Orthogonally initialised class gains and biases (StudioGAN's), not SAGAN's zeros.
    fresh = build_sngan_generator(_config(base_filters=4))
    gains = _numpy(fresh.get_layer("block1_norm1").gain.embeddings)  # (classes, 16)
    np.testing.assert_allclose(gains @ gains.T, np.eye(4), atol=1e-5)
    assert fresh.get_layer("output_norm").epsilon == pytest.approx(1e-4)


def test_save_and_load_keeps_both_networks(trained, tmp_path):
    path = str(tmp_path / "sngan.keras")
    trained.save(path)
    loaded = keras.saving.load_model(path)
    z = np.random.default_rng(1).standard_normal((2, 8)).astype("float32")
    labels = np.array([0, 3], "int32")
    for net, args in (("generator", [z, labels]),
                      ("discriminator", [np.zeros((2, 16, 16, 1), "float32"), labels])):
        np.testing.assert_allclose(_numpy(getattr(loaded, net)(args, training=False)),
                                   _numpy(getattr(trained, net)(args, training=False)),
                                   atol=1e-5, err_msg=net)


def test_unconditional_plain_bn_and_shapes():
    config = _config(num_classes=0)
    g, d = build_sngan_generator(config), build_sngan_discriminator(config)
    assert not [la for la in g.layers if isinstance(la, ConditionalBatchNormalization)]
    assert len([la for la in g.layers if isinstance(la, keras.layers.BatchNormalization)]) == 5
    images = g(np.zeros((2, 8), "float32"))
    assert images.shape == (2, 16, 16, 1)
    assert d(images).shape == (2, 1)


@pytest.mark.parametrize(("image_size", "last"), [(32, 8), (64, 4)])
def test_d_stops_halving_at_8x8_only_at_32(image_size, last):
    config = _config(image_size=image_size, num_classes=0, base_filters=1)
    d = build_sngan_discriminator(config)
    blocks = [la for la in d.layers if la.name.endswith("_add")]
    assert blocks[-1].output.shape[1] == last
    assert blocks[0].output.shape[1] == image_size // 2  # the optimized block pools


def test_paper_networks_have_studiogans_parameter_counts():
    # PyTorch-StudioGAN's CIFAR-10 SNGAN log reports 4,304,387 (G) and 1,055,105 (D).
    config = _arch().make_config()
    assert (config.image_size, config.latent_dim, config.batch_size) == (32, 128, 64)
    assert (config.g_multipliers, config.d_multipliers) == ((4, 4, 4, 4), (2, 2, 2, 2))
    assert config.d_downsample == (True, True, False, False)

    def count(model):
        return sum(int(np.prod(v.shape)) for v in model.trainable_weights)

    # Counting needs no orthogonal matrices (23 QRs of up to 2304x256 take seconds).
    fast = dataclasses.replace(config)
    fast.INITIALIZER = "zeros"
    assert count(build_sngan_generator(fast)) == 4_304_387
    assert count(build_sngan_discriminator(fast)) == 1_055_105


@pytest.mark.parametrize(("name", "keys"), [
    ("acgan", {"logits", "class_logits"}),
    ("reacgan", {"logits", "embed", "proxy"}),
])
def test_other_d_conditionings(name, keys):
    d = build_sngan_discriminator(_config(d_conditioning=name))
    out = d([np.zeros((2, 16, 16, 1), "float32"), np.array([0, 3], "int32")])
    assert set(out) == keys and tuple(out["logits"].shape) == (2, 1)
    assert find(d).name == name
    none = build_sngan_discriminator(_config(num_classes=0, d_conditioning="none"))
    assert none(np.zeros((2, 16, 16, 1), "float32")).shape == (2, 1)


def test_presets():
    arch, paper = ganzoo.get_preset("sngan-cifar10-32")
    assert arch.name == "sngan"
    assert paper.train == {"dataset": "cifar10", "batch_size": 64, "steps": 100000,
                           "real_transforms": ("flip",)}
    config = arch.make_config(**paper.config)
    assert (config.num_classes, config.channels, config.base_filters) == (10, 3, 64)
    arch, small = ganzoo.get_preset("sngan-fashion-mnist-32")
    assert arch.name == "sngan" and small.train["dataset"] == "fashion_mnist"
    config = arch.make_config(**small.config)
    assert (config.image_size, config.channels, config.base_filters) == (32, 1, 8)


def test_config_errors():
    with pytest.raises(ganzoo.ConfigError, match="self-attention"):
        _arch().make_config(attention_resolution=16)
    with pytest.raises(ganzoo.ConfigError, match="image_size"):
        _arch().make_config(image_size=8)
    with pytest.raises(ganzoo.ConfigError, match="d_conditioning"):
        _arch().make_config(num_classes=0, d_conditioning="acgan")

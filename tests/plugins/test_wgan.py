"""wgan, wgan-gp and lsgan: conformance, weight clipping, gradient penalty, losses."""

import numpy as np
import pytest
from ganzoo_wgan.discriminator import build_discriminator
from ganzoo_wgan.generator import build_generator

import ganzoo
from ganzoo.testing import run_architecture_test

TINY = {"image_size": 8, "channels": 1, "latent_dim": 8, "base_filters": 4}


def _d_weights(gan):
    return [np.asarray(v) for v in gan.discriminator.trainable_variables]


def test_wgan_conformance_and_weight_clipping():
    gan = run_architecture_test("wgan", TINY, steps=2)
    assert gan.d_steps == 5 and gan.loss_fn.name == "wasserstein"
    assert type(gan.d_optimizer).__name__ == "RMSprop"
    assert np.isclose(float(gan.d_optimizer.learning_rate), 5e-5)
    # Batch-norm gammas start at 1: every trained weight must now be clipped.
    for w in _d_weights(gan):
        assert np.abs(w).max() <= 0.01 + 1e-7


@pytest.mark.parametrize("critic", ["dcgan", "resnet"])
def test_wgan_gp_conformance_logs_gp(critic):
    gan = run_architecture_test(
        "wgan-gp", {**TINY, "critic": critic}, steps=1, check_saving=critic == "dcgan"
    )
    assert gan.d_steps == 5
    assert [r.name for r in gan.regularizer_list] == ["gp"]
    assert gan.regularizer_list[0].weight == 10.0
    opt = gan.d_optimizer
    assert (float(opt.beta_1), float(opt.beta_2)) == (0.0, 0.9)
    history = gan.fit(np.zeros((20, 8, 8, 1), "float32"), batch_size=20, verbose=0)
    assert np.isfinite(history.history["gp"]).all()
    names = [type(layer).__name__ for layer in gan.discriminator.layers]
    assert "BatchNormalization" not in names


def test_wgan_gp_layer_norm_critic():
    arch = ganzoo.get_architecture("wgan-gp")
    config = arch.make_config(**TINY, critic="resnet", critic_norm="layer")
    critic = arch.build(config).discriminator
    assert any(type(la).__name__ == "GroupNormalization" for la in critic.layers)
    with pytest.raises(ganzoo.ConfigError, match="critic_norm"):
        arch.make_config(critic_norm="batch")


def test_wgan_gp_resnet_shapes_at_32():
    arch = ganzoo.get_architecture("wgan-gp")
    config = arch.make_config(critic="resnet", base_filters=4, image_size=32)
    g, d = build_generator(config), build_discriminator(config)
    assert g.output_shape == (None, 32, 32, 3)
    assert d.output_shape == (None, 1)
    # The paper's CIFAR critic: optimized block, one down block, two 8x8 blocks.
    blocks = {la.name.split("_")[0] for la in d.layers if la.name.startswith("block")}
    assert blocks == {"block1", "block2", "block3", "block4"}


def test_lsgan_conformance():
    gan = run_architecture_test("lsgan", TINY, steps=2, check_saving=False)
    assert gan.loss_fn.name == "least_squares" and gan.d_steps == 1
    assert np.isclose(float(gan.g_optimizer.beta_1), 0.5)
    assert np.isclose(float(gan.g_optimizer.learning_rate), 2e-4)

"""BigGAN: conformance, paper settings, orthogonal regularization, hierarchical
latents, shared-embedding cBN, truncation, SN and EMA state on reload."""

import os

import keras
import numpy as np
import pytest
from ganzoo_biggan.blocks import LatentSplit, latent_chunk_sizes

import ganzoo
from ganzoo import backends
from ganzoo.regularizers import orthogonal_penalty
from ganzoo.testing import run_architecture_test

LATENT = 9  # three chunks of 3 at 16x16 (4x4 linear, two blocks)
TINY = {
    "image_size": 16,
    "channels": 1,
    "num_classes": 4,
    "latent_dim": LATENT,
    "base_filters": 2,
    "shared_dim": 4,
    "batch_size": 4,
    "ema_start": 1,  # average from the second step, so EMA differs from G
}


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _generate(g, z, labels):
    return _numpy(g([z, np.asarray(labels, "int32")], training=False))


@pytest.fixture(scope="module")
def trained():
    """A tiny BigGAN after the conformance kit's training and save/load checks."""
    return run_architecture_test("biggan", TINY, steps=2)


def test_conformance_and_paper_settings(trained):
    gan = trained
    assert gan.loss_fn.name == "hinge" and gan.d_steps == 2
    for opt, rate in ((gan.g_optimizer, 1e-4), (gan.d_optimizer, 4e-4)):
        assert type(opt).__name__ == "Adam"
        assert float(opt.learning_rate) == pytest.approx(rate)
        assert (float(opt.beta_1), float(opt.beta_2)) == (0.0, pytest.approx(0.999))
    assert gan.use_ema and gan.ema_decay == pytest.approx(0.9999)
    (reg,) = gan.regularizer_list
    assert reg.name == "orthogonal" and reg.weight == pytest.approx(1e-4)
    config = ganzoo.get_architecture("biggan").make_config()
    assert (config.latent_dim, config.shared_dim, config.base_filters) == (120, 128, 96)
    assert (config.ema_start, config.resolved_attention_resolution) == (20000, 64)
    assert config.g_multipliers == (16, 16, 8, 4, 2, 1)


def test_orthogonal_regularization_is_logged(trained):
    x = np.random.default_rng(5).uniform(-1, 1, (8, 16, 16, 1)).astype("float32")
    y = np.arange(8, dtype="int32") % 4
    history = trained.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert history.history["orthogonal"][0] > 0


def test_orthogonal_penalty_covers_g_kernels_but_not_the_embedding(trained):
    (reg,) = trained.regularizer_list
    paths = [v.path for v in reg.kernels(trained)]
    assert not any("shared_embedding" in p for p in paths)
    assert "project/kernel" in paths
    assert any("norm1/gain/kernel" in p for p in paths)  # cBN projections
    expected = 0.0
    for v in reg.kernels(trained):
        w = _numpy(v).reshape(-1, v.shape[-1])
        gram = w.T @ w
        expected += ((gram * (1 - np.eye(len(gram)))) ** 2).sum()
    value = float(_numpy(orthogonal_penalty(reg.kernels(trained))))
    assert value == pytest.approx(expected, rel=1e-4)


def test_orthogonal_penalty_value_and_gradient():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(6, 4)))
    assert float(_numpy(orthogonal_penalty([q.astype("float32")]))) < 1e-10
    w = rng.normal(size=(5, 3)).astype("float32")
    assert float(_numpy(orthogonal_penalty([w]))) > 0

    def penalty(kernel):
        return orthogonal_penalty([kernel])

    grad = _numpy(
        backends.get().input_gradient(penalty, keras.ops.convert_to_tensor(w))
    )
    eps = 1e-2
    numeric = np.zeros_like(grad)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = eps
        plus = float(_numpy(penalty(w + step)))
        minus = float(_numpy(penalty(w - step)))
        numeric[index] = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-2, atol=1e-3)


def test_cbn_generator_follows_labels(trained):
    g = trained.generator
    z = np.repeat(np.random.default_rng(1).standard_normal((1, LATENT)), 2, axis=0)
    z = z.astype("float32")
    same = _generate(g, z, [2, 2])
    np.testing.assert_allclose(same[0], same[1], atol=1e-6)
    differ = _generate(g, z, [0, 3])
    assert not np.allclose(differ[0], differ[1])


def test_hierarchical_latents(trained):
    sizes = latent_chunk_sizes(LATENT, 3)
    assert sizes == [3, 3, 3]
    assert latent_chunk_sizes(120, 6) == [20] * 6  # BigGAN at 128x128
    assert sum(latent_chunk_sizes(140, 7)) == 140
    assert sum(latent_chunk_sizes(10, 3)) == 10
    (split,) = [la for la in trained.generator.layers if isinstance(la, LatentSplit)]
    assert split.sizes == sizes
    g = trained.generator
    z = np.random.default_rng(2).standard_normal((1, LATENT)).astype("float32")
    base = _generate(g, z, [1])
    start = 0
    for size in sizes:
        changed = z.copy()
        changed[:, start : start + size] += 1.0  # this chunk only
        start += size
        assert not np.allclose(_generate(g, changed, [1]), base)


def test_truncation(trained):
    z = trained.latents(256, seed=0, truncation=0.5)
    assert z.shape == (256, LATENT) and np.abs(z).max() <= 0.5
    images = trained.generate(4, seed=0, labels=1, truncation=0.5)
    assert images.shape == (4, 16, 16, 1) and np.isfinite(images).all()
    assert not np.allclose(images, trained.generate(4, seed=0, labels=1))


def test_spectral_norm_and_ema_survive_save_and_load(trained, tmp_path):
    gan = trained
    ema = [_numpy(v) for v in gan.ema_generator.variables]
    live = [_numpy(v) for v in gan.generator.variables]
    assert any(
        not np.allclose(a, b) for a, b in zip(ema, live, strict=True)
    )  # EMA is averaging
    path = os.path.join(tmp_path, "biggan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    for name in ("generator", "ema_generator", "discriminator"):
        before = getattr(gan, name).variables
        after = getattr(loaded, name).variables
        assert [v.path for v in before] == [v.path for v in after]
        for a, b in zip(before, after, strict=True):
            np.testing.assert_array_equal(_numpy(a), _numpy(b), err_msg=a.path)
    sn_u = [v for v in loaded.ema_generator.variables if v.path.endswith("sn_u")]
    assert len(sn_u) > 10


def test_config_errors():
    arch = ganzoo.get_architecture("biggan")
    with pytest.raises(ganzoo.ConfigError, match="num_classes"):
        arch.make_config(num_classes=0)
    with pytest.raises(ganzoo.ConfigError, match="latent_dim"):
        arch.make_config(latent_dim=3)  # 6 chunks at 128x128

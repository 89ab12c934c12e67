import keras
import numpy as np
import pytest
from keras import ops

from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.gan import GAN
from ganzoo.layers import SNDense
from ganzoo.testing.toy import conditional_mlp, mlp, points


def numpy(v):
    return np.array(ops.convert_to_numpy(v))


def make_gan(**kwargs):
    return GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0, **kwargs)


def test_fit_logs_losses_and_d_stats():
    gan = make_gan()
    gan.compile()
    history = gan.fit(points(64), batch_size=32, epochs=1, verbose=0).history
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(history)
    assert all(np.isfinite(v[0]) for v in history.values())
    assert int(numpy(gan.step_counter)) == 2


def test_d_steps_split_each_batch():
    gan = make_gan()
    gan.compile(d_steps=3)
    gan.fit(points(96), batch_size=48, epochs=1, verbose=0)
    assert int(numpy(gan.g_optimizer.iterations)) == 2
    assert int(numpy(gan.d_optimizer.iterations)) == 6


def test_ttur_keeps_two_optimizers():
    gan = make_gan()
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(4e-4))
    assert gan.g_optimizer is not gan.d_optimizer
    assert float(numpy(gan.d_optimizer.learning_rate)) == pytest.approx(4e-4)
    with pytest.raises(GanzooError, match="same object"):
        opt = keras.optimizers.Adam()
        gan.compile(opt, opt)


def test_ema_tracks_generator():
    gan = make_gan(use_ema=True)
    gan.compile(ema_decay=0.5)
    before = [numpy(w) for w in gan.ema_generator.weights]
    gan.fit(points(64), batch_size=32, verbose=0)
    after = [numpy(w) for w in gan.ema_generator.weights]
    current = [numpy(w) for w in gan.generator.weights]
    assert any(not np.allclose(a, b) for a, b in zip(before, after, strict=True))
    # With decay 0.5 the average lags behind the live weights.
    assert any(not np.allclose(a, c) for a, c in zip(after, current, strict=True))


def test_ema_start_copies_weights():
    gan = make_gan(use_ema=True)
    gan.compile(ema_decay=0.9, ema_start=100)
    gan.fit(points(64), batch_size=32, verbose=0)
    for w, e in zip(gan.generator.weights, gan.ema_generator.weights, strict=True):
        np.testing.assert_allclose(numpy(w), numpy(e))


def test_ema_decay_without_ema_is_an_error():
    with pytest.raises(GanzooError, match="use_ema=True"):
        make_gan().compile(ema_decay=0.99)


def test_unknown_loss_and_regularizer_names():
    with pytest.raises(UnknownNameError, match="did you mean 'hinge'"):
        make_gan().compile(loss="hinje")
    with pytest.raises(UnknownNameError, match="'gp'"):
        make_gan().compile(regularizers=["gpp"])


def test_conditional_needs_labels_and_uses_them():
    gan = GAN(conditional_mlp(2, 2, 3, name="g"), conditional_mlp(2, 1, 3, name="d"),
              latent_dim=2, num_classes=3, seed=0)
    gan.compile()
    with pytest.raises(GanzooError, match="labels"):
        gan.fit(points(16), batch_size=8, verbose=0)
    labels = np.arange(16) % 3
    gan.fit(points(16), labels, batch_size=8, verbose=0)
    a, b = gan.generate(4, seed=1, labels=0), gan.generate(4, seed=1, labels=2)
    assert not np.allclose(a, b)
    with pytest.raises(GanzooError, match=r"\[0, 2\]"):
        gan.generate(2, labels=5)


def test_generate_is_seeded_and_truncation_bounds_latents():
    gan = make_gan()
    gan.compile()
    np.testing.assert_allclose(gan.generate(3, seed=4), gan.generate(3, seed=4))
    z = gan.latents(2000, seed=0, truncation=0.5)
    assert np.abs(z).max() <= 0.5
    with pytest.raises(GanzooError):
        gan.latents(2, truncation=0)


def bn_gan(**kwargs):
    z = keras.Input((2,))
    h = keras.layers.Dense(4, name="dense")(z)
    h = keras.layers.BatchNormalization(name="bn")(h)
    generator = keras.Model(z, SNDense(2, name="sn")(h))
    return GAN(generator, mlp(2, 1, name="d"), latent_dim=2, seed=0, **kwargs)


@pytest.mark.parametrize("use_ema", [False, True])
def test_standing_statistics_average_the_truncated_batches_then_restore(use_ema):
    gan = bn_gan(use_ema=use_ema)
    gan.compile()
    generator = gan.ema_generator if use_ema else gan.generator
    bn = generator.get_layer("bn")
    before = [numpy(v) for v in generator.variables]
    acts = [numpy(generator.get_layer("dense")(gan.latents(32, 7 + i, 0.5))) for i in range(3)]
    with gan.standing_statistics(0.5, num_batches=3, batch_size=32, seed=7):
        np.testing.assert_allclose(numpy(bn.moving_mean), np.mean([a.mean(0) for a in acts], 0),
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(numpy(bn.moving_variance),
                                   np.mean([a.var(0) for a in acts], 0), rtol=1e-4)
        statistics = {id(bn.moving_mean), id(bn.moving_variance)}
        for v, old in zip(generator.variables, before, strict=True):  # spectral norm's u included
            if id(v) not in statistics:
                np.testing.assert_array_equal(numpy(v), old)
    for v, old in zip(generator.variables, before, strict=True):
        np.testing.assert_array_equal(numpy(v), old)
    assert bn.trainable is not use_ema and bn.momentum == 0.99


def test_truncated_generate_renormalises_and_leaves_the_model_unchanged():
    gan = bn_gan()
    gan.compile()
    before = [numpy(v) for v in gan.generator.variables]
    z = gan.latents(64, seed=3, truncation=0.25)
    standing = gan.generate(64, seed=3, truncation=0.25)
    stale = gan.generate_from_latents(z)
    with gan.standing_statistics(0.25):
        np.testing.assert_allclose(gan.generate_from_latents(z), standing, rtol=1e-6)
    # Moving statistics not gathered on truncated z (here the initial ones)
    # leave the small truncated activations small; standing ones renormalise.
    assert standing.std() > stale.std()
    for v, old in zip(gan.generator.variables, before, strict=True):
        np.testing.assert_array_equal(numpy(v), old)


def test_fit_before_compile_is_an_error():
    with pytest.raises(GanzooError, match="compile"):
        make_gan().fit(points(8), batch_size=4, verbose=0)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_precision_trains(policy):
    keras.config.set_dtype_policy(policy)
    gan = make_gan()
    gan.compile()
    if policy == "mixed_float16":
        assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    history = gan.fit(points(64), batch_size=32, verbose=0).history
    assert np.isfinite(history["d_loss"][0]) and np.isfinite(history["g_loss"][0])


def test_save_load_round_trip(tmp_path):
    from ganzoo.testing import run_gan_test

    gan = make_gan(use_ema=True)
    gan.compile(regularizers=["r1"], d_steps=2, ema_decay=0.9)
    run_gan_test(gan, tmp_dir=str(tmp_path))

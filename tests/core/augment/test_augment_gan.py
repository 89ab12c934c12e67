"""``GAN.compile(augment=...)``: pipelines inside ``fit``, logged, saved and resumed."""

import keras
import numpy as np
import pytest
from augment_gan import real_images, tiny_gan
from augment_helpers import numpy

import ganzoo
from ganzoo import backends
from ganzoo.augment import ADA, DiffAugment
from ganzoo.errors import GanzooError


def _fit(gan, steps, batch=4):
    return gan.fit(real_images(n=steps * batch), batch_size=batch, epochs=1,
                   verbose=0).history


def _stream_position(gan):
    return int(numpy(gan.seed_generator.state)[1])


@pytest.mark.parametrize("spec, cls", [
    ("diffaugment:color,translation,cutout", DiffAugment),
    ("ada", ADA),
])
def test_spec_strings_train_and_draw_from_the_gans_stream(spec, cls):
    gan = tiny_gan()
    gan.compile(augment=spec)
    assert isinstance(gan.augment, cls)
    assert gan.augment in backends.layers_of(gan)  # tracked: saved and threaded through JAX
    before, own = _stream_position(gan), numpy(gan.augment.seed_generator.state)
    history = _fit(gan, 2)
    assert np.isfinite(history["d_loss"]).all()
    # Per step: 2 latent draws and 3 augmentation keys (real, fake in D; fake in G).
    assert _stream_position(gan) == before + 2 * 5
    np.testing.assert_array_equal(numpy(gan.augment.seed_generator.state), own)


def test_ada_p_rises_is_logged_every_step_and_survives_save_and_load(tmp_path):
    # D starts sure that every image is real: r_t = 1 > target, so p rises by
    # batch * interval / (kimg * 1000) = 4 * 2 / 100 at each of the 3 adjustments.
    gan = tiny_gan(d_bias=20.0)
    gan.compile(augment=ADA(target=0.6, interval=2, kimg=0.1),
                g_optimizer=keras.optimizers.SGD(1e-4), d_optimizer=keras.optimizers.SGD(1e-4))
    history = _fit(gan, 6)
    assert float(numpy(gan.augment.p)) == pytest.approx(3 * 0.08, abs=1e-6)
    assert history["augment_p"][-1] == pytest.approx(0.24, abs=1e-6)  # now, not a mean
    assert history["augment_rt"][-1] == pytest.approx(1.0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert isinstance(loaded.augment, ADA)
    assert (loaded.augment.target, loaded.augment.interval, loaded.augment.kimg) == (0.6, 2, 0.1)
    assert float(numpy(loaded.augment.p)) == pytest.approx(0.24, abs=1e-6)
    assert loaded.get_compile_config()["augment"] == ganzoo.augment.serialize(gan.augment)
    # The loaded pipeline is bound to the loaded GAN's stream (saved with its state).
    assert loaded.augment.stream is loaded.seed_generator
    assert _stream_position(loaded) == _stream_position(gan)


def test_a_resumed_fit_continues_p_and_weights_exactly(tmp_path):
    def make():
        gan = tiny_gan(d_bias=5.0)
        # SGD: Adam's m/sqrt(v) would blow float rounding in near-zero gradients up.
        gan.compile(augment="ada:0.6,interval=1,kimg=0.1", g_optimizer=keras.optimizers.SGD(0.05),
                    d_optimizer=keras.optimizers.SGD(0.05))
        return gan

    straight = make()
    _fit(straight, 4)
    first = make()
    first.fit(real_images(n=16)[:8], batch_size=4, epochs=1, verbose=0)
    first.save(tmp_path / "half.keras")
    resumed = keras.saving.load_model(tmp_path / "half.keras")
    resumed.fit(real_images(n=16)[8:], batch_size=4, epochs=1, verbose=0)
    assert float(numpy(resumed.augment.p)) == pytest.approx(float(numpy(straight.augment.p)))
    assert float(numpy(straight.augment.p)) > 0
    for a, b in zip(straight.generator.weights, resumed.generator.weights, strict=True):
        np.testing.assert_allclose(numpy(a), numpy(b), rtol=1e-5, atol=1e-6)


def test_generator_gradients_pass_through_the_pipeline():
    # Same seed, same data: G's update differs only by what D saw of its images.
    def g_after_one_step(augment):
        gan = tiny_gan()
        gan.compile(augment=augment)
        start = [numpy(w) for w in gan.generator.trainable_weights]
        _fit(gan, 1)
        return start, [numpy(w) for w in gan.generator.trainable_weights]

    start, plain = g_after_one_step(None)
    for spec in ("diffaugment:translation,cutout", "ada:target=none,p=1"):
        _, augmented = g_after_one_step(spec)
        assert all(not np.allclose(s, a) for s, a in zip(start, augmented, strict=True)), spec
        assert any(not np.allclose(p, a) for p, a in zip(plain, augmented, strict=True)), spec


def test_regularizer_passes_do_not_reuse_an_augmentation_key():
    # R1 runs D inside discard_state_updates; its key must still be consumed.
    def advance(regularizers):
        gan = tiny_gan()
        gan.compile(augment="diffaugment", regularizers=regularizers)
        before = _stream_position(gan)
        _fit(gan, 1)
        return _stream_position(gan) - before

    assert advance(["r1"]) == advance([]) + 1


def test_compile_defaults_augment_and_how_to_turn_it_off():
    gan = tiny_gan(compile_defaults={"augment": "diffaugment:translation"})
    gan.compile()
    assert isinstance(gan.augment, DiffAugment) and gan.augment.policy == ["translation"]
    gan.compile(augment="none")
    assert gan.augment is None
    assert "augment_p" not in [m.name for m in gan.metrics]


def test_bad_augment_is_one_clear_error():
    gan = tiny_gan()
    with pytest.raises(GanzooError, match="diffaugment"):
        gan.compile(augment="diffaugmnet")
    with pytest.raises(GanzooError, match="not an augmentation"):
        gan.compile(augment=3)


def test_ganzoo_augment_is_reachable_after_import_ganzoo():
    assert ganzoo.augment.ADA is ADA
    assert "augment" in dir(ganzoo)

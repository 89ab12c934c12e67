"""APA (adaptive pseudo augmentation): the swap, its adaptive p, composition, saving."""

import keras
import numpy as np
import pytest
from augment_gan import real_images, tiny_gan
from augment_helpers import images, numpy, reseed

import ganzoo.augment as augment
from ganzoo import backends
from ganzoo.augment import ADA, APA, Compose, DiffAugment
from ganzoo.errors import GanzooError


def p_of(pipeline):
    return float(numpy(pipeline.p))


def test_p_rises_when_d_is_sure_of_its_reals_and_falls_otherwise():
    apa = APA(target=0.6, interval=2, kimg=0.1, p=0.5)  # p moves 1 per 100 images
    for _ in range(2):
        apa.update(np.full((5,), 3.0, "float32"))  # r_t = 1 > 0.6
    assert p_of(apa) == pytest.approx(0.5 + 10 / 100)
    assert float(numpy(apa.rt)) == 1.0
    for _ in range(2):
        apa.update(np.array([1.0, -1.0, 2.0, -0.5, -3.0], "float32"))  # r_t = -0.2 < 0.6
    assert p_of(apa) == pytest.approx(0.5)
    assert float(numpy(apa.rt)) == pytest.approx(-0.2)
    assert set(apa.logged_values()) == {"apa_p", "apa_rt"}


@pytest.mark.parametrize("p, expect_fake", [(1.0, True), (0.0, False)])
def test_p_one_swaps_every_real_and_p_zero_none(p, expect_fake):
    apa = reseed(APA(target=None, p=p))
    real, fake = images(n=16, seed=0), images(n=16, seed=1)
    out = numpy(apa.replace_reals(real, fake))
    np.testing.assert_array_equal(out, fake if expect_fake else real)
    np.testing.assert_array_equal(numpy(apa(real)), real)  # the images themselves: unchanged


def test_about_p_of_the_reals_are_swapped_image_by_image():
    apa = reseed(APA(target=None, p=0.25))
    real, fake = images(n=400, size=2, seed=0), images(n=400, size=2, seed=1)
    out = numpy(apa.replace_reals(real, fake))
    swapped = (out == fake).all(axis=(1, 2, 3))
    assert ((out == real).all(axis=(1, 2, 3)) | swapped).all()  # whole images, never mixed
    assert 0.19 < swapped.mean() < 0.31


def test_swapped_fakes_are_detached_from_the_generator():
    apa = reseed(APA(target=None, p=1.0))
    real = keras.ops.convert_to_tensor(images(n=4))
    grad = backends.get().input_gradient(lambda fake: apa.replace_reals(real, fake) * 3.0,
                                         keras.ops.convert_to_tensor(images(n=4, seed=1)))
    # TensorFlow reports no path as None, JAX as zeros: no gradient reaches G either way.
    assert grad is None or not numpy(grad).any()


def _fit(gan, steps, batch=4):
    return gan.fit(real_images(n=steps * batch), batch_size=batch, epochs=1,
                   verbose=0).history


@pytest.mark.parametrize("p", [1.0, 0.0])
def test_in_the_d_phase_p_one_shows_d_its_fakes_as_reals(p):
    # No image augmentation and a deterministic D: with every real swapped, D's
    # real batch is the fake batch, so its mean logits on both are the same.
    gan = tiny_gan()
    gan.compile(augment=APA(target=None, p=p))
    history = _fit(gan, 1)
    same = history["d_real"][0] == pytest.approx(history["d_fake"][0], abs=1e-6)
    assert same == (p == 1.0)


def test_ada_plus_apa_adapt_two_ps_in_fit_and_resume_them(tmp_path):
    # D starts sure every image is real: r_t = 1, so both p rise by
    # batch 4 * interval 2 / 100 images at each of 3 adjustments.
    gan = tiny_gan(d_bias=20.0)
    sgd = keras.optimizers.SGD
    gan.compile(augment="ada:interval=2,kimg=0.1,pipeline=b+apa:interval=2,kimg=0.1",
                g_optimizer=sgd(1e-4), d_optimizer=sgd(1e-4))
    ada, apa = gan.augment.pipelines
    assert isinstance(gan.augment, Compose) and isinstance(ada, ADA) and isinstance(apa, APA)
    history = _fit(gan, 6)
    assert np.isfinite(history["d_loss"]).all()
    assert p_of(ada) == pytest.approx(0.24, abs=1e-6) and p_of(apa) == pytest.approx(0.24, abs=1e-6)
    assert history["apa_p"][-1] == pytest.approx(0.24, abs=1e-6)
    assert history["augment_p"][-1] == pytest.approx(0.24, abs=1e-6)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    l_ada, l_apa = loaded.augment.pipelines
    assert (type(l_ada), type(l_apa)) == (ADA, APA) and l_apa.interval == 2
    assert p_of(l_apa) == pytest.approx(0.24, abs=1e-6)
    assert p_of(l_ada) == pytest.approx(0.24, abs=1e-6)
    assert l_apa.stream is loaded.seed_generator  # bound to the loaded GAN's stream
    _fit(loaded, 2)  # resumed: one more adjustment from the saved p
    assert p_of(loaded.augment.pipelines[1]) == pytest.approx(0.32, abs=1e-6)


def test_apa_alone_saves_and_restores_p(tmp_path):
    gan = tiny_gan(d_bias=-20.0)  # D sure every image is fake: r_t = -1, p falls
    gan.compile(augment=APA(interval=1, kimg=0.1, p=0.5),
                g_optimizer=keras.optimizers.SGD(1e-4), d_optimizer=keras.optimizers.SGD(1e-4))
    _fit(gan, 3)
    assert p_of(gan.augment) == pytest.approx(0.5 - 3 * 0.04, abs=1e-6)
    gan.save(tmp_path / "apa.keras")
    loaded = keras.saving.load_model(tmp_path / "apa.keras")
    assert isinstance(loaded.augment, APA)
    assert p_of(loaded.augment) == pytest.approx(0.38, abs=1e-6)


def test_specs_and_errors():
    apa = augment.get("apa:0.7")
    assert isinstance(apa, APA) and apa.target == 0.7 and apa.kimg == 500 and apa.interval == 4
    both = augment.get("diffaugment:color,translation+apa")
    assert [type(m) for m in both.pipelines] == [DiffAugment, APA]
    assert both.pipelines[0].policy == ["color", "translation"] and both.replaces_reals
    assert not augment.get("diffaugment+ada").replaces_reals
    copy = augment.deserialize(augment.serialize(both))
    assert copy.get_config() == both.get_config()
    with pytest.raises(GanzooError, match="unknown APA option 'pipeline'"):
        augment.get("apa:pipeline=bgc")
    with pytest.raises(GanzooError, match="names a pipeline twice"):
        augment.get("ada+ada:0.5")
    with pytest.raises(GanzooError, match="APA p=2.0 must be in"):
        APA(p=2.0)

"""ADA's adaptive p: the overfitting heuristic, its clamps, and fit on both backends."""

import keras
import numpy as np
import pytest
from augment_critic import AugmentedCritic, critic
from augment_helpers import images, numpy, reseed

from ganzoo.augment import ADA


def p_of(ada):
    return float(numpy(ada.p))


def test_p_rises_by_the_images_seen_when_reals_are_all_positive():
    ada = ADA(target=0.6, interval=4, kimg=0.1, p=0.0)  # p moves 1 per 100 images
    logits = np.full((5,), 3.0, "float32")  # sign(D(real)) = 1 > 0.6: memorised
    for _ in range(3):
        ada.update(logits)
    assert p_of(ada) == 0.0  # nothing until `interval` D steps
    ada.update(logits)
    assert p_of(ada) == pytest.approx(20 / 100)  # batch 5 * interval 4 images
    assert float(numpy(ada.rt)) == pytest.approx(1.0)
    for _ in range(4 * 10):
        ada.update(logits)
    assert p_of(ada) == 1.0  # clamped


def test_p_falls_when_reals_are_not_recognised_and_stops_at_zero():
    ada = ADA(target=0.6, interval=2, kimg=0.1, p=0.5)
    logits = np.array([1.0, -1.0, 2.0, -0.5], "float32")  # r_t = 0 < 0.6
    ada.update(logits)
    ada.update(logits)
    assert p_of(ada) == pytest.approx(0.5 - 8 / 100)
    assert float(numpy(ada.rt)) == pytest.approx(0.0)
    for _ in range(2 * 10):
        ada.update(logits)
    assert p_of(ada) == 0.0


def test_fixed_p_never_moves():
    ada = ADA(target=None, p=0.3)
    for _ in range(8):
        ada.update(np.ones((4,), "float32"))
    assert p_of(ada) == pytest.approx(0.3)
    assert set(ada.logged_values()) == {"augment_p"}


def fit_critic(real, p, epochs):
    keras.utils.set_random_seed(0)
    # Cheap ops keep the compile short; the full pipeline compiles in test_augment_compiled.
    ada = reseed(ADA(target=0.6, interval=1, kimg=0.05, p=p, pipeline=["xflip", "brightness"]))
    model = AugmentedCritic(critic(size=real.shape[1], channels=real.shape[3]), ada)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=True)
    history = model.fit(real, batch_size=8, epochs=epochs, shuffle=False, verbose=0).history
    return ada, history


def test_p_rises_in_a_compiled_step_when_d_memorises_its_reals():
    real = np.clip(images(n=8, size=8, channels=1) * 0.1 + 0.8, -1, 1)  # bright, easy
    ada, history = fit_critic(np.tile(real, (40, 1, 1, 1)), p=0.0, epochs=1)  # 40 steps
    assert p_of(ada) > 0.3  # 40 steps of 8 images could take p to 1 at most
    assert history["augment_p"][-1] > 0.0 and "augment_rt" in history
    assert float(numpy(ada.rt)) > 0.6


def test_p_falls_in_a_compiled_step_when_d_cannot_tell_reals_from_fakes():
    # Reals from the fakes' distribution, each seen once: nothing to memorise.
    real = images(n=96, size=8, channels=1, seed=4)
    ada, history = fit_critic(real, p=0.5, epochs=1)
    assert p_of(ada) < 0.5
    assert float(numpy(ada.rt)) < 0.6

"""DRAGAN and max-GP (ganzoo.tricks.gradient_penalties) against hand-computed values."""

import keras
import numpy as np
import pytest
from keras import ops
from tricks_helpers import (
    SIZE,
    context,
    fit_once,
    images,
    linear_discriminator,
    tiny_gan,
    value,
)

from ganzoo.regularizers import GradientPenalty
from ganzoo.tricks.gradient_penalties import DRAGANPenalty, MaxGradientPenalty


def test_dragan_on_a_linear_d_is_the_squared_distance_of_its_norm_to_one():
    kernel = np.zeros((SIZE, SIZE))
    kernel[0, :2] = (3.0, 4.0)  # ||grad|| = 5 wherever D looks, perturbed or not
    gan = tiny_gan(linear_discriminator(kernel))
    assert value(DRAGANPenalty()(context(gan, images()))) == pytest.approx(16.0, rel=1e-5)


def test_maxgp_is_the_largest_squared_gradient_norm_of_the_batch():
    # D(x) = sum(x^2) / 2 has gradient x; with fakes equal to the reals every
    # interpolate is the real image itself.
    inputs = keras.Input((SIZE, SIZE, 1))
    square = keras.layers.Lambda(lambda x: 0.5 * ops.sum(ops.square(x), axis=(1, 2, 3)))
    gan = tiny_gan(keras.Model(inputs, square(inputs)))
    x = images()
    norms = (x.reshape(len(x), -1) ** 2).sum(axis=1)
    ctx = context(gan, x)
    assert value(MaxGradientPenalty()(ctx)) == pytest.approx(norms.max(), rel=1e-5)
    expected_gp = np.mean((np.sqrt(norms) - 1) ** 2)  # WGAN-GP averages instead
    assert value(GradientPenalty()(ctx)) == pytest.approx(expected_gp, rel=1e-5)


def test_dragan_and_maxgp_train_and_save(tmp_path):
    gan = tiny_gan(regularizers=["dragan", "maxgp:weight=1"])
    logged = fit_once(gan)
    assert logged["dragan"] >= 0 and logged["maxgp"] > 0
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert [r.to_registry_config() for r in loaded.regularizer_list] == [
        {"name": "dragan", "weight": 10.0, "interval": 1},
        {"name": "maxgp", "weight": 1.0, "interval": 1}]

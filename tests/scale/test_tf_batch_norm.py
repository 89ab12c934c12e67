"""Synchronized batch norm under tf.distribute is a property of the run, not of the saved model."""

import keras
import pytest

import ganzoo

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute")


def test_synchronized_batch_norm_is_not_saved():
    from ganzoo.backends.tensorflow_backend import synchronize_batch_norm

    gan = ganzoo.build("dcgan", image_size=16, channels=1, base_filters=8, batch_size=8)
    norms = [layer for layer in gan._flatten_layers()
             if isinstance(layer, keras.layers.BatchNormalization)]
    assert norms and synchronize_batch_norm(gan) == len(norms)
    assert all(layer.synchronized for layer in norms)
    # Saved as unsynchronized: the file loads on JAX, which refuses synchronized=True.
    assert all(layer.get_config()["synchronized"] is False for layer in norms)
    assert synchronize_batch_norm(gan) == 0  # idempotent: prepare runs again after each load

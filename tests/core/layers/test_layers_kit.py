"""The conformance kit itself: it must catch broken layers."""

import keras
import numpy as np
import pytest

from ganzoo.layers import PixelNormalization
from ganzoo.testing.layer_test import run_layer_test

x = np.ones((2, 3), "float32")


class Unregistered(keras.layers.Layer):
    def call(self, inputs):
        return inputs


@keras.saving.register_keras_serializable(package="ganzoo_tests")
class ForgetsItsArgument(keras.layers.Layer):
    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs * self.scale

    def get_config(self):
        return super().get_config()  # forgets `scale`


def test_unregistered_layer_fails():
    with pytest.raises(AssertionError, match="Unregistered: serialization"):
        run_layer_test(Unregistered, {}, x, (2, 3))


def test_missing_config_entry_fails():
    with pytest.raises(AssertionError, match="missing: \\['scale'\\]"):
        run_layer_test(ForgetsItsArgument, {"scale": 2.0}, x, (2, 3))


def test_wrong_output_shape_fails():
    with pytest.raises(AssertionError, match="symbolic call: output shape"):
        run_layer_test(PixelNormalization, {}, x, (2, 4))

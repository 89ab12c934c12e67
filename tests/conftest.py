"""Shared test set-up: quiet logs, a backend marker, and tiny models."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import pytest  # noqa: E402

BACKEND = keras.backend.backend()


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Each test starts from the default dtype policy and fresh layer names."""
    yield
    keras.config.set_dtype_policy("float32")
    keras.backend.clear_session()

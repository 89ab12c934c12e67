"""Shared test set-up: quiet logs, a backend marker, and tiny models."""

import gc
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import pytest  # noqa: E402

BACKEND = keras.backend.backend()


def pytest_collection_finish(session):
    """Move what the imports made (backend, ganzoo, plugins) out of the collector's reach.

    Those objects live until the end anyway, and every full collection (one per
    test, in ``clear_session``) would otherwise walk all of them again.
    """
    import ganzoo

    ganzoo.list_architectures()  # loads the plugins
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Each test starts from the default dtype policy and fresh layer names."""
    yield
    keras.config.set_dtype_policy("float32")
    keras.backend.clear_session()

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
    from ganzoo.keras_hook import register_keras_classes

    ganzoo.list_architectures()  # loads the plugins
    register_keras_classes()  # and every module a saved model may name
    # The tests' data pipelines run on tf.data whatever the backend. On JAX
    # nothing imports TensorFlow before the first such test, and its ~200,000
    # objects would then be walked by every later test's collection.
    import tensorflow  # noqa: F401

    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Each test starts from the default dtype policy and fresh layer names."""
    yield
    keras.config.set_dtype_policy("float32")
    keras.backend.clear_session()


def pytest_runtest_teardown(item, nextitem):
    """After a test file's last test, let the backend free its traced graphs.

    TensorFlow and JAX keep them in global tables, and every later test's
    collection (in ``clear_session``) would walk them all: late in the suite
    that took about 2 s per test. Per file, not per test: JAX re-traces what
    it forgets, and tests of one file often share programs.
    """
    if nextitem is None or nextitem.path != item.path:
        from ganzoo import backends

        backends.get().release_traced_graphs()

"""Helpers shared by the layers in this package."""

from __future__ import annotations

import keras


def clone_initializer(initializer):
    """A fresh copy of `initializer`, so sublayers do not share one instance.

    Keras warns when one unseeded initializer instance builds several weights.
    """
    initializer = keras.initializers.get(initializer)
    return initializer.__class__.from_config(initializer.get_config())

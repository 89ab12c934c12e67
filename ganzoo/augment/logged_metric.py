"""``LastValue``: a metric that reports the value it was last given.

Keras' ``Mean`` would average ADA's ``p`` since the start of the epoch; the
progress bar, metrics.jsonl and TensorBoard should show ``p`` as it is now.
"""

from __future__ import annotations

import keras
from keras import ops


class LastValue(keras.metrics.Metric):
    """Holds the latest scalar passed to ``update_state`` (0 until the first)."""

    def __init__(self, name: str, **kwargs):
        super().__init__(name=name, **kwargs)
        self.value = self.add_variable(shape=(), initializer="zeros", dtype="float32",
                                       name="value")

    def update_state(self, value):
        self.value.assign(ops.cast(ops.reshape(value, ()), "float32"))

    def result(self):
        return ops.convert_to_tensor(self.value)

    def reset_state(self):
        # Keras resets metrics at the start of every fit/epoch; what is shown before
        # the first update of an epoch is then 0, never a stale value of another run.
        self.value.assign(0.0)

"""The per-step wall clock the benchmarks share."""

import time

import keras


class StepTimes(keras.callbacks.Callback):
    """Wall time of every batch of ``fit``, synchronised on its logged loss."""

    def __init__(self):
        super().__init__()
        self.times, self._start = [], 0.0

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        float(keras.ops.convert_to_numpy((logs or {}).get("d_loss", 0.0)))  # wait for the device
        self.times.append(time.perf_counter() - self._start)

"""Minibatch standard deviation (Karras et al. 2018, ProGAN)."""

from __future__ import annotations

import keras
from keras import ops


def _largest_divisor_at_most(batch_size, group_size):
    """The largest divisor of `batch_size` that is <= `group_size`.

    `batch_size` is a Python int or, for an unknown static batch on
    TensorFlow, a scalar tensor.
    """
    if isinstance(batch_size, int):
        return next(
            g for g in range(min(group_size, batch_size), 0, -1) if batch_size % g == 0
        )
    candidates = ops.arange(1, group_size + 1, dtype="int32")
    batch_size = ops.cast(batch_size, "int32")
    divides = ops.equal(ops.mod(batch_size, candidates), 0)
    return ops.max(ops.where(divides, candidates, 1))


@keras.saving.register_keras_serializable(package="ganzoo")
class MinibatchStdDev(keras.layers.Layer):
    """Minibatch standard deviation feature (Karras et al. 2018, ProGAN §3).

    Splits the batch into groups of `group_size`, takes the standard deviation
    of every feature at every pixel over each group, averages it over
    height, width and channels to one scalar per group, and appends that
    scalar as one extra feature map to every sample of the group:
    `(B, H, W, C) -> (B, H, W, C + 1)`. Channels last.

    As in the official code, sample `n` belongs to group `n % (B // G)`
    (the batch is reshaped to `(G, B // G, ...)`). When the batch is not
    divisible by `group_size`, `G` is the largest divisor of the batch that is
    at most `group_size` (the official code only handles `B < group_size`,
    by `G = min(group_size, B)`); a batch of one gets `sqrt(epsilon)`.

    Args:
        group_size: int, samples per group. Default 4.
        epsilon: float, added to the variance before the square root.
    """

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, inputs):
        _, height, width, channels = inputs.shape
        group = _largest_divisor_at_most(ops.shape(inputs)[0], self.group_size)
        x = ops.cast(inputs, "float32")
        x = ops.reshape(x, (group, -1, height, width, channels))
        variance = ops.mean(ops.square(x - ops.mean(x, axis=0)), axis=0)
        stddev = ops.mean(
            ops.sqrt(variance + self.epsilon), axis=(1, 2, 3), keepdims=True
        )
        # Broadcast (M, 1, 1, 1) to (G, M, H, W, 1), then back to (B, H, W, 1).
        feature = ops.zeros_like(x[..., :1]) + stddev
        feature = ops.reshape(feature, (-1, height, width, 1))
        return ops.concatenate([inputs, ops.cast(feature, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size, "epsilon": self.epsilon})
        return config

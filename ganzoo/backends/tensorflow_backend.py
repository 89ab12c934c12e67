"""TensorFlow gradient mechanics: GradientTape, the step runs statefully."""

from __future__ import annotations

import tensorflow as tf
from keras import ops


def value_and_grad(fn, variables):
    with tf.GradientTape() as tape:
        loss, aux = fn()
        # Under tf.distribute the optimizer sums gradients over replicas, so
        # each replica's mean loss is scaled by 1/replicas (as Keras' own step).
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        scaled = loss / replicas if replicas > 1 else loss
    grads = tape.gradient(scaled, variables)
    # A variable that does not reach the loss gets a zero gradient, as on JAX.
    grads = [ops.zeros_like(v) if g is None else g for g, v in zip(grads, variables, strict=True)]
    return (loss, aux), grads


def input_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.cast(fn(x), "float32"))
    return tape.gradient(y, x)


def run_train_step(model, args, step_fn):
    (data,) = args
    return step_fn(data)


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)

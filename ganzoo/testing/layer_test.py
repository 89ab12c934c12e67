"""A conformance check for Keras layers, after keras-hub's `run_layer_test`.

`run_layer_test` is a plain function: it raises `AssertionError` with a message
naming the layer and the failed check, so pytest, unittest and third-party
plugins' tests can all call it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

__all__ = ["run_layer_test"]


def _fail(layer_cls, check, message):
    raise AssertionError(f"{layer_cls.__name__}: {check}: {message}")


def _numpy(x):
    return np.asarray(ops.convert_to_numpy(ops.cast(x, "float32")))


def _is_float(dtype):
    return "float" in keras.backend.standardize_dtype(dtype)


def _call(layer, data, **kwargs):
    """Calls `layer` on `data`: a dict is passed as keyword arguments."""
    if isinstance(data, Mapping):
        return layer(**data, **kwargs)
    return layer(data, **kwargs)


def _symbolic_input(array, name=None):
    return keras.Input(
        shape=array.shape[1:],
        dtype=keras.backend.standardize_dtype(array.dtype),
        name=name,
    )


def _symbolic_inputs(input_data):
    if isinstance(input_data, Mapping):
        # Functional models match dict inputs to `keras.Input`s by name.
        return {k: _symbolic_input(a, name=k) for k, a in input_data.items()}
    return keras.tree.map_structure(_symbolic_input, input_data)


def _to_tensors(input_data):
    return keras.tree.map_structure(ops.convert_to_tensor, input_data)


def _wrap_in_model(layer, input_data):
    inputs = _symbolic_inputs(input_data)
    outputs = _call(layer, inputs)
    if isinstance(input_data, Sequence):
        inputs = list(inputs)
    return keras.Model(inputs, outputs)


def _check_shape(layer_cls, check, shape, expected, ignore_batch=False):
    shape, expected = tuple(shape), tuple(expected)
    if ignore_batch:
        shape, expected = shape[1:], expected[1:]
    if shape != expected:
        _fail(layer_cls, check, f"output shape {shape}, expected {expected}")


def _check_finite(layer_cls, check, output):
    for x in keras.tree.flatten(output):
        if not np.all(np.isfinite(_numpy(x))):
            _fail(layer_cls, check, "output has NaN or Inf")


def _check_config(layer_cls, init_kwargs):
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    missing = sorted(set(init_kwargs) - set(config))
    if missing:
        _fail(layer_cls, "get_config", f"constructor arguments missing: {missing}")
    revived = layer_cls.from_config(config)
    if revived.get_config() != config:
        _fail(
            layer_cls,
            "config round trip",
            f"{config} became {revived.get_config()}",
        )
    serialized = keras.saving.serialize_keras_object(layer)
    try:
        deserialized = keras.saving.deserialize_keras_object(serialized)
    except (TypeError, ValueError) as error:
        _fail(
            layer_cls,
            "serialization",
            f"cannot deserialize ({error}); is it "
            "decorated with keras.saving.register_keras_serializable?",
        )
    if type(deserialized) is not layer_cls:
        _fail(layer_cls, "serialization", f"deserialized as {type(deserialized)}")


def _check_weight_counts(layer_cls, layer, trainable, non_trainable):
    for expected, weights, kind in (
        (trainable, layer.trainable_weights, "trainable"),
        (non_trainable, layer.non_trainable_weights, "non-trainable"),
    ):
        if expected is not None and len(weights) != expected:
            names = [w.path for w in weights]
            _fail(
                layer_cls,
                "weights",
                f"{len(weights)} {kind} weights {names}, expected {expected}",
            )


def _check_training(layer_cls, model, input_data, batch_size):
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    predictions = model(_to_tensors(input_data))
    # A seed of its own: targets drawn like the inputs could equal them.
    rng = np.random.default_rng(20190521)
    targets = keras.tree.map_structure(
        lambda y: rng.standard_normal(y.shape).astype("float32"), predictions
    )
    before = [np.array(_numpy(w)) for w in model.trainable_weights]
    history = model.fit(
        input_data,
        targets,
        batch_size=batch_size,
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    loss = history.history["loss"][-1]
    if not np.isfinite(loss):
        _fail(layer_cls, "training step", f"loss is {loss}")
    after = [_numpy(w) for w in model.trainable_weights]
    if before and all(np.array_equal(b, a) for b, a in zip(before, after, strict=True)):
        _fail(
            layer_cls,
            "training step",
            "no trainable weight changed after one fit step (gradients do "
            "not reach the weights)",
        )


def _check_saving(layer_cls, model, input_data):
    expected = model(input_data, training=False)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.keras")
        model.save(path)
        revived = keras.saving.load_model(path)
    if len(model.weights) != len(revived.weights):
        _fail(
            layer_cls,
            "save/load",
            f"{len(model.weights)} weights became {len(revived.weights)}",
        )
    for original, loaded in zip(model.weights, revived.weights, strict=True):
        if not np.array_equal(_numpy(original), _numpy(loaded)):
            _fail(layer_cls, "save/load", f"weight {original.path} changed")
    actual = revived(input_data, training=False)
    for e, a in zip(
        keras.tree.flatten(expected), keras.tree.flatten(actual), strict=True
    ):
        if not np.allclose(_numpy(e), _numpy(a), rtol=1e-6, atol=1e-6):
            _fail(layer_cls, "save/load", "outputs differ after reloading")


def _check_mixed_precision(layer_cls, init_kwargs, input_data):
    layer = layer_cls(**{**init_kwargs, "dtype": "mixed_bfloat16"})
    # A compiled call (one XLA program on JAX, not one per op) keeps it quick.
    model = _wrap_in_model(layer, input_data)
    output = model.predict_on_batch(input_data)
    for x in keras.tree.flatten(output):
        if _is_float(x.dtype) and keras.backend.standardize_dtype(x.dtype) != (
            "bfloat16"
        ):
            _fail(layer_cls, "mixed precision", f"output dtype {x.dtype}")
    for weight in layer.weights:
        if _is_float(weight.dtype) and weight.dtype != "float32":
            _fail(
                layer_cls,
                "mixed precision",
                f"weight {weight.path} has dtype {weight.dtype}, not float32",
            )
    _check_finite(layer_cls, "mixed precision", output)


def run_layer_test(
    layer_cls: type[keras.layers.Layer],
    init_kwargs: dict[str, Any],
    input_data: Any,
    expected_output_shape: tuple[int, ...],
    *,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    run_training_check: bool = True,
    run_saving_check: bool = True,
    run_mixed_precision_check: bool = True,
) -> None:
    """Checks that a layer is a well-behaved, serializable Keras layer.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_data: a NumPy array, a list of arrays (passed as one list
            argument), or a dict of arrays (passed as keyword arguments,
            e.g. `{"inputs": x, "noise": n}`). The first axis is the batch.
        expected_output_shape: output shape for `input_data`, batch included.
        expected_num_trainable_weights: if given, checked after building.
        expected_num_non_trainable_weights: if given, checked after building.
        run_training_check: fit a model holding the layer for one step and
            check that the loss is finite and some trainable weight moved.
        run_saving_check: save the model as `.keras`, reload it, check that
            weights and (inference) outputs are identical. Turn off for
            layers whose output is random.
        run_mixed_precision_check: call under `mixed_bfloat16`; check the
            output is bfloat16 and the weights float32.

    Raises:
        AssertionError: naming the layer and the failed check.
    """
    batch_size = keras.tree.flatten(input_data)[0].shape[0]
    _check_config(layer_cls, init_kwargs)

    # Symbolic call (unknown batch size).
    symbolic_output = _call(layer_cls(**init_kwargs), _symbolic_inputs(input_data))
    _check_shape(
        layer_cls,
        "symbolic call",
        symbolic_output.shape,
        expected_output_shape,
        ignore_batch=True,
    )

    # Eager call on real arrays.
    tensors = _to_tensors(input_data)
    layer = layer_cls(**init_kwargs)
    output = _call(layer, tensors)
    _check_shape(layer_cls, "eager call", output.shape, expected_output_shape)
    _check_finite(layer_cls, "eager call", output)
    _check_weight_counts(
        layer_cls,
        layer,
        expected_num_trainable_weights,
        expected_num_non_trainable_weights,
    )

    if run_training_check or run_saving_check:
        model = _wrap_in_model(layer_cls(**init_kwargs), input_data)
        if run_training_check:
            _check_training(layer_cls, model, input_data, batch_size)
        if run_saving_check:
            _check_saving(layer_cls, model, tensors)

    if run_mixed_precision_check:
        _check_mixed_precision(layer_cls, init_kwargs, tensors)

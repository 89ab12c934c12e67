import os
import tempfile

import keras
import numpy as np
import pytest
from keras import ops

from ganzoo.layers import SNConv2D, SNDense, SNEmbedding
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


def _largest_singular_value(kernel):
    kernel = ops.convert_to_numpy(kernel)
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


def _with_singular_values(shape, singular_values):
    """A kernel of `shape` whose matrix view has the given top singular values.

    A gap of 2 between the first two makes 30 power iterations converge.
    """
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    k = min(rows, cols)
    left = np.linalg.qr(rng.standard_normal((rows, k)))[0]
    right = np.linalg.qr(rng.standard_normal((cols, k)))[0]
    values = np.concatenate([singular_values, np.full(k, 0.25)])[:k]
    return (left * values @ right.T).reshape(shape).astype("float32")


def test_sn_dense_layer():
    run_layer_test(
        SNDense,
        {"units": 3, "power_iterations": 2},
        rng.standard_normal((2, 5)).astype("float32"),
        (2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
    )


def test_sn_conv2d_layer():
    run_layer_test(
        SNConv2D,
        {"filters": 3, "kernel_size": 3, "padding": "same"},
        rng.standard_normal((2, 4, 4, 2)).astype("float32"),
        (2, 4, 4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
    )


def test_sn_embedding_layer():
    run_layer_test(
        SNEmbedding,
        {"input_dim": 5, "output_dim": 3},
        np.array([0, 4, 2], dtype="int32"),
        (3, 3),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=1,
    )


@pytest.mark.parametrize(
    "layer, input_shape",
    [
        (SNDense(6, power_iterations=30), (2, 10)),
        (SNConv2D(4, 3, power_iterations=30), (2, 5, 5, 3)),
        (SNEmbedding(7, 5, power_iterations=30), (2,)),
    ],
    ids=["dense", "conv2d", "embedding"],
)
def test_largest_singular_value_of_effective_kernel_is_one(layer, input_shape):
    layer.build(input_shape)
    shape = layer.stored_kernel.shape
    layer.stored_kernel.assign(_with_singular_values(shape, [3.0, 1.5, 1.0, 0.5]))
    np.testing.assert_allclose(_largest_singular_value(layer.stored_kernel), 3.0)
    stored = ops.convert_to_numpy(layer.stored_kernel)
    x = np.zeros(input_shape, "int32" if len(input_shape) == 1 else "float32")
    layer(x, training=True)  # 30 power iterations, stored into u
    np.testing.assert_allclose(
        _largest_singular_value(layer.effective_kernel()), 1.0, rtol=1e-3
    )
    # The trainable kernel itself is never overwritten.
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.stored_kernel), stored)


def test_u_updated_only_when_training():
    layer = SNDense(4)
    x = rng.standard_normal((2, 3)).astype("float32")
    layer.build(x.shape)
    u = ops.convert_to_numpy(layer.sn_u)
    layer(x)
    layer(x, training=False)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.sn_u), u)
    layer(x, training=True)
    assert not np.array_equal(ops.convert_to_numpy(layer.sn_u), u)


def test_inference_uses_the_sigma_of_the_last_training_step():
    layer = SNDense(4)
    x = rng.standard_normal((2, 3)).astype("float32")
    trained = ops.convert_to_numpy(layer(x, training=True))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), trained, rtol=1e-6)


def test_forward_pass_divides_by_sigma():
    layer = SNDense(4, use_bias=False, power_iterations=50)
    x = rng.standard_normal((2, 3)).astype("float32")
    layer.build(x.shape)
    layer(x, training=True)
    kernel = ops.convert_to_numpy(layer.kernel)
    expected = x @ (kernel / _largest_singular_value(kernel))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, rtol=1e-4)


def test_u_saved_and_restored():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, SNDense(4, name="sn")(inputs))
    x = rng.standard_normal((2, 3)).astype("float32")
    model(x, training=True)  # moves u away from its initial value
    u = ops.convert_to_numpy(model.get_layer("sn").sn_u)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "sn.keras")
        model.save(path)
        revived = keras.saving.load_model(path)
    np.testing.assert_array_equal(ops.convert_to_numpy(revived.get_layer("sn").sn_u), u)
    np.testing.assert_allclose(
        ops.convert_to_numpy(revived(x)), ops.convert_to_numpy(model(x)), rtol=1e-6
    )


def test_fit_updates_u():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, SNDense(4, name="sn")(inputs))
    model.compile(optimizer="sgd", loss="mse")
    u = ops.convert_to_numpy(model.get_layer("sn").sn_u)
    x = rng.standard_normal((2, 3)).astype("float32")
    model.fit(x, np.zeros((2, 4), "float32"), batch_size=2, verbose=0)
    assert not np.array_equal(ops.convert_to_numpy(model.get_layer("sn").sn_u), u)


def _normalize(x):
    return x / np.linalg.norm(x)


@pytest.mark.parametrize("layer_cls", [SNDense, SNEmbedding])
def test_iterate_sigma_runs_a_power_step_every_call_and_stores_it_in_training(layer_cls):
    """sigma_estimate="iterate": v = n(W u), u' = n(W^T v), sigma = u'.(W^T v), with W
    the kernel's matrix (an embedding's table transposed, one u entry per class);
    u' is stored only when training."""
    if layer_cls is SNDense:
        layer, x = SNDense(4, use_bias=False, sigma_estimate="iterate"), np.eye(6, dtype="f4")
    else:
        layer, x = SNEmbedding(6, 4, sigma_estimate="iterate"), np.arange(6, dtype="int32")
    layer.build(x.shape)
    kernel = rng.standard_normal((6, 4)).astype("float32")
    layer.stored_kernel.assign(kernel)
    w = kernel if layer_cls is SNDense else kernel.T  # the matrix: u has w.shape[1]
    u = rng.standard_normal(w.shape[1]).astype("float32")
    layer.sn_u.assign(u)
    v = _normalize(w @ u)
    u_next = _normalize(w.T @ v)
    sigma = float(u_next @ (w.T @ v))
    for training in (False, True):
        out = ops.convert_to_numpy(layer(x, training=training))
        np.testing.assert_allclose(out, kernel / sigma, rtol=1e-5, atol=1e-6)
        stored = ops.convert_to_numpy(layer.sn_u)
        np.testing.assert_allclose(stored, u_next if training else u, rtol=1e-5, atol=1e-6)
    assert layer.get_config()["sigma_estimate"] == "iterate"
    with pytest.raises(ValueError, match="sigma_estimate"):
        SNDense(2, sigma_estimate="exact")


@pytest.mark.parametrize("layer_cls", [SNDense, SNEmbedding])
def test_stored_uv_sigma_uses_the_stored_pair_and_training_refreshes_both(layer_cls):
    """sigma_estimate="stored_uv" (torch.nn.utils.spectral_norm): inference uses
    sigma = u . (v W) from the stored u and v, without a power step; a training
    call runs v = n(W u), u' = n(W^T v) and stores both; v survives a .keras round
    trip."""
    if layer_cls is SNDense:
        layer, x = SNDense(4, use_bias=False, sigma_estimate="stored_uv"), np.eye(6, dtype="f4")
    else:
        layer, x = SNEmbedding(6, 4, sigma_estimate="stored_uv"), np.arange(6, dtype="int32")
    layer.build(x.shape)
    kernel = rng.standard_normal((6, 4)).astype("float32")
    layer.stored_kernel.assign(kernel)
    w = kernel if layer_cls is SNDense else kernel.T
    assert tuple(layer.sn_v.shape) == (w.shape[0],) and tuple(layer.sn_u.shape) == (w.shape[1],)
    u = _normalize(rng.standard_normal(w.shape[1])).astype("float32")
    v = _normalize(rng.standard_normal(w.shape[0])).astype("float32")
    layer.sn_u.assign(u)
    layer.sn_v.assign(v)
    sigma = float(v @ w @ u)
    out = ops.convert_to_numpy(layer(x, training=False))
    np.testing.assert_allclose(out, kernel / sigma, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.sn_v), v)
    v_next = _normalize(w @ u)
    u_next = _normalize(w.T @ v_next)
    out = ops.convert_to_numpy(layer(x, training=True))
    np.testing.assert_allclose(out, kernel / float(v_next @ w @ u_next), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(layer.sn_u), u_next, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(layer.sn_v), v_next, rtol=1e-5, atol=1e-6)
    inputs = keras.Input(x.shape[1:], dtype=x.dtype)
    model = keras.Model(inputs, layer(inputs))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "sn.keras")
        model.save(path)
        revived = keras.saving.load_model(path)
    np.testing.assert_allclose(ops.convert_to_numpy(revived(x)), ops.convert_to_numpy(model(x)),
                               rtol=1e-6)

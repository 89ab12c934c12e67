import numpy as np
import pytest
from keras import ops

from ganzoo.layers import SelfAttention
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)


@pytest.mark.parametrize(
    "init_kwargs, num_non_trainable",
    [({}, 0), ({"spectral_norm": True, "pool_key_value": True}, 4)],
    ids=["plain", "sn_pooled"],
)
def test_self_attention_layer(init_kwargs, num_non_trainable):
    run_layer_test(
        SelfAttention,
        init_kwargs,
        rng.standard_normal((2, 4, 4, 16)).astype("float32"),
        (2, 4, 4, 16),
        expected_num_trainable_weights=5,  # 4 conv kernels and gamma
        expected_num_non_trainable_weights=num_non_trainable,
    )


def test_identity_when_gamma_is_zero():
    x = rng.standard_normal((2, 4, 4, 16)).astype("float32")
    layer = SelfAttention(spectral_norm=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), x)
    layer.gamma.assign(0.5)
    assert not np.allclose(ops.convert_to_numpy(layer(x)), x)


def test_attention_matches_numpy():
    x = rng.standard_normal((2, 3, 3, 8)).astype("float32")
    layer = SelfAttention(key_channels=2, value_channels=4)
    layer.build(x.shape)
    layer.gamma.assign(0.7)
    q, k, v, o = (
        ops.convert_to_numpy(conv.kernel)[0, 0]
        for conv in (
            layer.query_conv,
            layer.key_conv,
            layer.value_conv,
            layer.output_conv,
        )
    )
    flat = x.reshape(2, 9, 8)
    logits = (flat @ q) @ np.transpose(flat @ k, (0, 2, 1))
    attention = np.exp(logits - logits.max(-1, keepdims=True))
    attention /= attention.sum(-1, keepdims=True)
    expected = x + 0.7 * ((attention @ (flat @ v)) @ o).reshape(x.shape)
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-5
    )


def test_pool_after_conv_pools_the_key_and_value_convs_outputs():
    """With pool_after_conv the keys and values are max-pooled after their 1x1
    convs (the official SAGAN/BigGAN order); by default the input is pooled."""
    x = np.random.default_rng(3).standard_normal((2, 4, 4, 8)).astype("float32")
    outputs = {}
    for after in (False, True):
        layer = SelfAttention(pool_key_value=True, pool_after_conv=after, name="att")
        layer.build(x.shape)
        layer.gamma.assign(1.0)
        for conv in (layer.query_conv, layer.key_conv, layer.value_conv, layer.output_conv):
            conv.kernel.assign(np.random.default_rng(4).standard_normal(conv.kernel.shape))
        outputs[after] = ops.convert_to_numpy(layer(x))

    def matrix(conv):  # a 1x1 kernel as (in, out)
        return ops.convert_to_numpy(conv.kernel)[0, 0]

    key, value = x @ matrix(layer.key_conv), x @ matrix(layer.value_conv)
    pool = lambda t: t.reshape(2, 2, 2, 2, 2, -1).max(axis=(2, 4)).reshape(2, 4, -1)  # noqa: E731
    query = (x @ matrix(layer.query_conv)).reshape(2, 16, -1)
    logits = query @ pool(key).transpose(0, 2, 1)
    attention = np.exp(logits - logits.max(-1, keepdims=True))
    attention /= attention.sum(-1, keepdims=True)
    attended = (attention @ pool(value)).reshape(2, 4, 4, -1)
    expected = x + attended @ matrix(layer.output_conv)
    np.testing.assert_allclose(outputs[True], expected, rtol=1e-4, atol=1e-4)
    assert np.abs(outputs[False] - outputs[True]).max() > 1e-3
    assert layer.get_config()["pool_after_conv"] is True

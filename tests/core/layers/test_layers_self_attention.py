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

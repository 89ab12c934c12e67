import numpy as np
import pytest
from keras import ops

from ganzoo.layers import ProjectionHead
from ganzoo.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)
features = rng.standard_normal((3, 6)).astype("float32")
labels = np.array([0, 4, 2], "int32")


@pytest.mark.parametrize("spectral_norm", [False, True], ids=["plain", "sn"])
def test_projection_head_layer(spectral_norm):
    run_layer_test(
        ProjectionHead,
        {"num_classes": 5, "spectral_norm": spectral_norm},
        [features, labels],
        (3, 1),
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=2 if spectral_norm else 0,
    )


def test_equals_dense_plus_inner_product_with_class_embedding():
    layer = ProjectionHead(5)
    layer.build([features.shape, labels.shape])
    layer.dense.bias.assign(np.array([0.3], "float32"))
    kernel = ops.convert_to_numpy(layer.dense.kernel)
    embeddings = ops.convert_to_numpy(layer.embedding.embeddings)
    expected = features @ kernel + 0.3
    expected += np.sum(embeddings[labels] * features, axis=-1, keepdims=True)
    logits = layer([features, labels[:, None]])  # (B, 1) labels work too
    np.testing.assert_allclose(ops.convert_to_numpy(logits), expected, rtol=1e-5)

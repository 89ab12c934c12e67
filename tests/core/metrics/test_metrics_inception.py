"""The inception_v3 extractor, end to end from a local weights file.

No ImageNet weights can be downloaded here, so the file is a randomly
initialised InceptionV3's — the same code path as a user's ``weights=PATH``.
"""

import keras
import numpy as np
import pytest

from ganzoo.metrics import (
    ExtractorCapabilityError,
    InceptionV3Extractor,
    WeightsNotFoundError,
    file_sha256,
    get_feature_extractor,
)
from ganzoo.metrics.extractors.feature_extractor import (
    randomize_weights,
    zero_initialized,
)


def saved_inception(folder, include_top):
    """A plain keras.applications InceptionV3 with random weights, saved."""
    with zero_initialized():  # random init compiles ~45 s on JAX/CPU; skip it
        net = keras.applications.InceptionV3(
            include_top=include_top,
            weights=None,
            pooling=None if include_top else "avg",
            input_shape=(299, 299, 3),
        )
    randomize_weights(net, seed=1)
    path = folder / ("top.weights.h5" if include_top else "notop.weights.h5")
    net.save_weights(path)
    return net, path


@pytest.fixture(scope="module")
def notop(tmp_path_factory):
    return saved_inception(tmp_path_factory.mktemp("inception"), include_top=False)


def test_features_from_local_file(notop, shapes_data):
    net, path = notop
    ext = get_feature_extractor("inception_v3", weights=str(path))
    assert isinstance(ext, InceptionV3Extractor)
    assert ext.weights_hash == file_sha256(path)
    assert ext.input_size == (299, 299) and ext.feature_dim == 2048
    images = shapes_data[0][:3]  # 16x16 grayscale uint8
    feats = ext.features(images)
    assert feats.shape == (3, 2048) and np.isfinite(feats).all()
    # The file's weights were loaded ...
    for saved, loaded in zip(net.weights, ext.model.weights, strict=True):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(saved), keras.ops.convert_to_numpy(loaded)
        )
    # ... and the images were prepared as InceptionV3 expects: grayscale ->
    # RGB, bicubic antialiased resize to 299, scaled to [-1, 1].
    x = np.repeat(images.astype("float32"), 3, axis=-1)
    x = keras.ops.image.resize(x, (299, 299), interpolation="bicubic", antialias=True)
    x = np.clip(keras.ops.convert_to_numpy(x), 0, 255) / 127.5 - 1.0
    expected = ext.model.predict_on_batch(x)
    expected = expected[0] if isinstance(expected, list) else expected
    np.testing.assert_allclose(feats, expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(ExtractorCapabilityError, match="classifier top"):
        ext.logits(images)


def test_missing_weights_say_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(
        WeightsNotFoundError, match="cannot be downloaded.*weights=PATH"
    ):
        InceptionV3Extractor()
    with pytest.raises(WeightsNotFoundError, match="does not exist"):
        InceptionV3Extractor(weights=tmp_path / "nope.h5")


def test_keras_cache_file_is_found(notop, monkeypatch, tmp_path):
    from ganzoo.metrics.extractors.inception import NOTOP_FILE

    _, path = notop
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / NOTOP_FILE).symlink_to(path)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    from ganzoo.metrics.extractors.inception import resolve_weights

    assert resolve_weights(None, None) == tmp_path / "models" / NOTOP_FILE


def test_weights_with_top_give_logits(notop, tmp_path):
    _, path = saved_inception(tmp_path, include_top=True)
    ext = InceptionV3Extractor(weights=path)
    # (No forward pass: it would compile a second InceptionV3 for little gain.)
    assert ext.has_logits and ext.num_classes == 1000 and ext.feature_dim == 2048
    assert ext.weights_hash == file_sha256(path)
    no_top = InceptionV3Extractor(weights=path, include_top=False)
    assert not no_top.has_logits and no_top.feature_dim == 2048
    with pytest.raises(WeightsNotFoundError, match="no classifier top"):
        InceptionV3Extractor(weights=notop[1], include_top=True)

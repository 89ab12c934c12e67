"""The offline domain classifier: training, .keras round trip, extractor."""

import numpy as np
import pytest
from conftest import make_shapes

from ganzoo.metrics import (
    ClassifierExtractor,
    WeightsNotFoundError,
    class_accuracy,
    file_sha256,
    fit_classifier,
    load_classifier,
    save_classifier,
)


@pytest.fixture(scope="module")
def trained(shapes_data, tmp_path_factory):
    images, labels = shapes_data
    val = make_shapes(64, seed=1)
    model = fit_classifier(
        images, labels, epochs=6, batch_size=32, validation=val, verbose=0
    )
    path = save_classifier(model, tmp_path_factory.mktemp("trained") / "clf.keras")
    return model, path


def test_fit_reaches_high_accuracy(trained, shapes_data):
    model, _ = trained
    assert class_accuracy(model, *shapes_data) > 0.9


def test_round_trip_and_extractor(trained, shapes_data):
    model, path = trained
    images, labels = shapes_data
    reloaded = load_classifier(path)
    np.testing.assert_allclose(
        reloaded.predict_on_batch(images[:8].astype("float32")),
        model.predict_on_batch(images[:8].astype("float32")),
        rtol=1e-5,
        atol=1e-6,
    )
    ext = ClassifierExtractor(weights=path)
    assert ext.weights_hash == file_sha256(path)
    assert ext.feature_dim == 128 and ext.num_classes == 4
    assert ext.features(images[:5]).shape == (5, 128)
    # [-1, 1] floats are the same images as uint8.
    as_float = images[:5].astype("float32") / 127.5 - 1.0
    np.testing.assert_allclose(
        ext.features(as_float), ext.features(images[:5]), atol=1e-4
    )
    assert class_accuracy(ext, images, labels) == class_accuracy(model, images, labels)


def test_extractor_needs_a_file(tmp_path):
    with pytest.raises(WeightsNotFoundError, match="recipe, not weights"):
        ClassifierExtractor()
    with pytest.raises(WeightsNotFoundError, match="does not exist"):
        ClassifierExtractor(weights=tmp_path / "missing.keras")

"""The offline domain classifier: a small convnet ganzoo trains on real data.

Recipe (ganzoo ships the recipe, not weights): train on the labelled real
training split with :func:`fit_classifier`, save it as ``.keras``, then use
``extractor="classifier", weights=PATH``. Its ``features`` layer (the
penultimate, 128-d) feeds FD/KID/PR; its softmax gives IS and the class
accuracy of conditional samples.

The network takes float ``[0, 255]`` images at its training resolution and
rescales them itself, so a saved model needs no outside preprocessing.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np

from ganzoo.errors import (
    ExtractorCapabilityError,
    MetricsError,
    WeightsNotFoundError,
)
from ganzoo.metrics.extractors.feature_extractor import (
    KerasFeatureExtractor,
    file_sha256,
)
from ganzoo.metrics.extractors.preprocessing import prepare, to_float255
from ganzoo.metrics.scores.inception_score import softmax

FEATURES_LAYER = "features"
LOGITS_LAYER = "logits"


def build_classifier(
    image_shape: tuple[int, int, int],
    num_classes: int,
    *,
    width: int = 32,
    feature_dim: int = 128,
    dropout: float = 0.3,
) -> keras.Model:
    """A small convnet: three conv blocks, a ``features`` layer, softmax output."""
    height, width_px, channels = (int(v) for v in image_shape)
    inputs = keras.Input((height, width_px, channels), name="images")
    x = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="rescale")(inputs)
    for i, (mult, stride) in enumerate(((1, 1), (2, 2), (4, 2))):
        x = keras.layers.Conv2D(
            width * mult,
            3,
            strides=stride,
            padding="same",
            use_bias=False,
            name=f"conv{i}",
        )(x)
        x = keras.layers.BatchNormalization(momentum=0.9, name=f"bn{i}")(x)
        x = keras.layers.ReLU(name=f"relu{i}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    x = keras.layers.Dense(feature_dim, activation="relu", name=FEATURES_LAYER)(x)
    x = keras.layers.Dense(num_classes, name=LOGITS_LAYER)(x)
    outputs = keras.layers.Softmax(name="probabilities")(x)
    return keras.Model(inputs, outputs, name="ganzoo_domain_classifier")


def _labels(labels: object, n: int) -> np.ndarray:
    y = np.asarray(labels).astype(np.int64).reshape(-1)
    if y.shape[0] != n:
        raise MetricsError(
            f"got {n} images but {y.shape[0]} labels; pass one label per image"
        )
    return y


def fit_classifier(
    images: object,
    labels: object,
    *,
    num_classes: int | None = None,
    epochs: int = 10,
    batch_size: int = 128,
    validation: tuple[object, object] | None = None,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int | str = "auto",
) -> keras.Model:
    """Train :func:`build_classifier` on labelled images (uint8 or [-1, 1] floats)."""
    x = to_float255(images)
    y = _labels(labels, x.shape[0])
    classes = int(num_classes or y.max() + 1)
    keras.utils.set_random_seed(seed)
    model = build_classifier(x.shape[1:], classes)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    val = None
    if validation is not None:
        vx = to_float255(validation[0])
        val = (vx, _labels(validation[1], vx.shape[0]))
    model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=val,
        shuffle=True,
        verbose=verbose,
    )
    return model


def save_classifier(model: keras.Model, path: str | os.PathLike[str]) -> Path:
    """Save a classifier as a ``.keras`` file; returns the path."""
    path = Path(path)
    if path.suffix != ".keras":
        raise MetricsError(f"classifier path '{path}' must end in .keras")
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return path


def load_classifier(path: str | os.PathLike[str]) -> keras.Model:
    """Load a classifier saved by :func:`save_classifier`."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise WeightsNotFoundError(
            f"classifier file '{path}' does not exist; train one with "
            "ganzoo.metrics.fit_classifier (or `ganzoo classifier fit`) and save it"
        )
    return keras.saving.load_model(path, compile=False)


class ClassifierExtractor(KerasFeatureExtractor):
    """Features (``features`` layer) and logits of a ganzoo domain classifier.

    Args:
        weights: path of the ``.keras`` file saved by :func:`save_classifier`
            (ganzoo ships no weights; train them on your real data).
        batch_size: images per network call.
    """

    def __init__(
        self, weights: str | os.PathLike[str] | None = None, *, batch_size: int = 256
    ):
        if weights is None:
            raise WeightsNotFoundError(
                "the classifier extractor needs weights=PATH to a .keras file saved by "
                "ganzoo.metrics.save_classifier; ganzoo ships the recipe, not weights"
            )
        classifier = load_classifier(weights)
        self.classifier = classifier
        self.weights_path = str(weights)
        try:
            feats = classifier.get_layer(FEATURES_LAYER).output
            logits = classifier.get_layer(LOGITS_LAYER).output
        except ValueError:
            raise MetricsError(
                f"classifier '{weights}' has no '{FEATURES_LAYER}' and '{LOGITS_LAYER}' "
                "layers; build it with ganzoo.metrics.build_classifier"
            ) from None
        shape = classifier.inputs[0].shape
        super().__init__(
            keras.Model(classifier.inputs, [feats, logits]),
            name="classifier",
            weights_hash=file_sha256(weights),
            input_size=(shape[1], shape[2]),
            channels=shape[3],
            batch_size=batch_size,
        )


def class_accuracy(
    model_or_extractor: object,
    images: object,
    labels: object,
    *,
    batch_size: int = 256,
) -> float:
    """Fraction of ``images`` classified as ``labels`` (e.g. for CGAN samples).

    ``model_or_extractor`` is a classifier ``keras.Model`` (softmax output) or
    an extractor with ``logits``; images are uint8 or ``[-1, 1]`` floats.
    """
    if isinstance(model_or_extractor, keras.Model):
        shape = model_or_extractor.inputs[0].shape
        x = prepare(images, (shape[1], shape[2]), shape[3])
        probs = np.concatenate(
            [
                np.asarray(model_or_extractor.predict_on_batch(x[i : i + batch_size]))
                for i in range(0, x.shape[0], batch_size)
            ]
        )
    elif getattr(
        model_or_extractor, "has_logits", hasattr(model_or_extractor, "logits")
    ):
        probs = softmax(model_or_extractor.logits(images))
    else:
        name = getattr(model_or_extractor, "name", type(model_or_extractor).__name__)
        raise ExtractorCapabilityError(
            f"class_accuracy needs a classifier or an extractor with logits; "
            f"'{name}' has none"
        )
    y = _labels(labels, probs.shape[0])
    return float(np.mean(probs.argmax(axis=1) == y))

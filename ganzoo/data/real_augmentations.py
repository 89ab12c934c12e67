"""Augmentations of real data, applied to batches inside the tf.data pipeline.

(Differentiable augmentation of real and generated images inside the
adversarial step is another thing.) Each name maps to a keras-cv
preprocessing layer (keras-cv 0.9 runs under Keras 3 inside tf.data on both
the TensorFlow and JAX backends). Layers are seeded, so a pipeline with the
same seed gives the same augmented batches.
"""

from __future__ import annotations

from collections.abc import Iterable

from ganzoo.errors import DataError
from ganzoo.registry import unknown_name_message

# name -> (keras_cv.layers class name, its arguments, one-line description for docs and errors)
AUGMENTATIONS: dict[str, tuple[str, dict, str]] = {
    "flip": ("RandomFlip", {"mode": "horizontal"}, "random horizontal flip (half the images)"),
    "translate": (
        "RandomTranslation",
        {"height_factor": 0.125, "width_factor": 0.125, "fill_mode": "reflect"},
        "random shift by up to 1/8 of the size, reflected border",
    ),
    "cutout": (
        "RandomCutout",
        {"height_factor": (0.5, 0.5), "width_factor": (0.5, 0.5), "fill_value": 0.0},
        "one random rectangle of half the size per side filled with 0 (gray)",
    ),
}


def check_augmentations(names: Iterable[str] | str | None) -> tuple[str, ...]:
    """Validated augmentation names (a comma-separated string is accepted)."""
    if names is None:
        return ()
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    names = tuple(names)
    for name in names:
        if name not in AUGMENTATIONS:
            raise DataError(unknown_name_message("augmentation", name, list(AUGMENTATIONS)))
    return names


def augmentation_layers(names: Iterable[str], seed: int = 0) -> list[object]:
    """One seeded keras-cv layer per name, in order (layer i seeded with ``seed + i``)."""
    import keras_cv

    layers = []
    for i, name in enumerate(check_augmentations(names)):
        class_name, kwargs, _ = AUGMENTATIONS[name]
        layers.append(getattr(keras_cv.layers, class_name)(**kwargs, seed=seed + i))
    return layers

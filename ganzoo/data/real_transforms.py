"""Transforms of the real training data (flips, shifts, cutout), inside the tf.data pipeline.

They change the data G learns to imitate, so use only transforms the data is
invariant under (a horizontal flip for most photos). They are not
D-augmentation (:mod:`ganzoo.augment`: DiffAugment and ADA, applied to every
image D sees inside the adversarial step). Each name maps to a keras-cv
preprocessing layer (keras-cv 0.9 runs under Keras 3 inside tf.data on both
the TensorFlow and JAX backends). Layers are seeded, so a pipeline with the
same seed gives the same transformed batches.
"""

from __future__ import annotations

from collections.abc import Iterable

from ganzoo.errors import DataError
from ganzoo.registry import unknown_name_message

# name -> (keras_cv.layers class name, its arguments, one-line description for docs and errors)
REAL_TRANSFORMS: dict[str, tuple[str, dict, str]] = {
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


def check_real_transforms(names: Iterable[str] | str | None) -> tuple[str, ...]:
    """Validated transform names (a comma-separated string is accepted)."""
    if names is None:
        return ()
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    names = tuple(names)
    for name in names:
        if name not in REAL_TRANSFORMS:
            raise DataError(unknown_name_message("real-data transform", name,
                                                 list(REAL_TRANSFORMS)))
    return names


def real_transform_layers(names: Iterable[str], seed: int = 0) -> list[object]:
    """One seeded keras-cv layer per name, in order (layer i seeded with ``seed + i``)."""
    import keras_cv

    layers = []
    for i, name in enumerate(check_real_transforms(names)):
        class_name, kwargs, _ = REAL_TRANSFORMS[name]
        layers.append(getattr(keras_cv.layers, class_name)(**kwargs, seed=seed + i))
    return layers

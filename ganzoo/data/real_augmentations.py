"""Augmentations of real data, applied to batches inside the tf.data pipeline.

(Differentiable augmentation of real and generated images during the
adversarial step is another thing.) Each name maps to a keras-cv preprocessing layer (keras-cv 0.9 runs under
Keras 3 inside tf.data on both the TensorFlow and JAX backends). Layers are
seeded, so a pipeline with the same seed gives the same augmented batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ganzoo.errors import DataError
from ganzoo.registry import unknown_name_message

# name -> (factory(seed) -> layer, one-line description for docs and errors)
AUGMENTATIONS: dict[str, tuple[Callable[[int], object], str]] = {}


def _augmentation(name: str, description: str):
    def decorate(factory):
        AUGMENTATIONS[name] = (factory, description)
        return factory

    return decorate


@_augmentation("flip", "random horizontal flip (half the images)")
def _flip(seed: int):
    import keras_cv

    return keras_cv.layers.RandomFlip("horizontal", seed=seed)


@_augmentation("translate", "random shift by up to 1/8 of the size, reflected border")
def _translate(seed: int):
    import keras_cv

    return keras_cv.layers.RandomTranslation(
        0.125, 0.125, fill_mode="reflect", seed=seed
    )


@_augmentation(
    "cutout", "one random rectangle of half the size per side filled with 0 (gray)"
)
def _cutout(seed: int):
    import keras_cv

    return keras_cv.layers.RandomCutout(
        (0.5, 0.5), (0.5, 0.5), fill_value=0.0, seed=seed
    )


def check_augmentations(names: Iterable[str] | str | None) -> tuple[str, ...]:
    """Validated augmentation names (a comma-separated string is accepted)."""
    if names is None:
        return ()
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    names = tuple(names)
    for name in names:
        if name not in AUGMENTATIONS:
            raise DataError(
                unknown_name_message("augmentation", name, list(AUGMENTATIONS))
            )
    return names


def augmentation_layers(names: Iterable[str], seed: int = 0) -> list[object]:
    """One seeded keras-cv layer per name, in order."""
    return [
        AUGMENTATIONS[name][0](seed + i)
        for i, name in enumerate(check_augmentations(names))
    ]

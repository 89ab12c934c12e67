"""Augmentations for the discriminator: DiffAugment, ADA and APA (composable: "ada+apa").

Pipelines are Keras layers with ``pipeline(images, training)`` and
``update(real_logits)``; see ``ganzoo.augment.pipeline_layer`` for the contract and
docs/augmentation.md for when to use which.
"""

from ganzoo.augment.ada import ADA
from ganzoo.augment.adaptive import AdaptivePipeline
from ganzoo.augment.apa import APA
from ganzoo.augment.compose import Compose
from ganzoo.augment.diffaugment import DiffAugment
from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.augment.spec import deserialize, get, names, serialize

BUILTIN_AUGMENTATIONS = (DiffAugment, ADA, APA, Compose)

__all__ = ["ADA", "APA", "AdaptivePipeline", "AugmentPipeline", "BUILTIN_AUGMENTATIONS",
           "Compose", "DiffAugment", "deserialize", "get", "names", "serialize"]

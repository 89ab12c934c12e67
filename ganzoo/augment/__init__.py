"""Differentiable augmentations for the discriminator: DiffAugment and ADA.

Pipelines are Keras layers with ``pipeline(images, training)`` and
``update(real_logits)``; see ``ganzoo.augment.pipeline_layer`` for the contract and
docs/augmentation.md for when to use which.
"""

from ganzoo.augment.ada import ADA
from ganzoo.augment.diffaugment import DiffAugment
from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.augment.spec import deserialize, get, names, serialize

BUILTIN_AUGMENTATIONS = (DiffAugment, ADA)

__all__ = ["ADA", "AugmentPipeline", "BUILTIN_AUGMENTATIONS", "DiffAugment", "deserialize",
           "get", "names", "serialize"]

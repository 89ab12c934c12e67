"""Core plugin ``ganzoo``: the built-in adversarial losses, regularizers, augmentations
and conditionings of D."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_losses(register):
    from ganzoo.losses import BUILTIN_LOSSES

    for loss in BUILTIN_LOSSES:
        register(loss)


@hookimpl
def register_regularizers(register):
    from ganzoo.regularizers import BUILTIN_REGULARIZERS

    for cls in BUILTIN_REGULARIZERS:
        register(cls)


@hookimpl
def register_augmentations(register):
    from ganzoo.augment import BUILTIN_AUGMENTATIONS
    from ganzoo.registry import Named

    # Pipelines are Keras layers, whose ``name`` belongs to each instance.
    for cls in BUILTIN_AUGMENTATIONS:
        register(Named(cls.spec_name, cls))


@hookimpl
def register_conditionings(register):
    from ganzoo.conditioning import auxiliary, head, multi_hinge

    for conditioning in head.BUILTIN + auxiliary.BUILTIN + multi_hinge.BUILTIN:
        register(conditioning)

"""The core's own plugin: registers built-in losses, regularizers, datasets, extractors."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_losses(register):
    from ganzoo.losses import BUILTIN_LOSSES

    for loss in BUILTIN_LOSSES:
        register(loss.name, loss)


@hookimpl
def register_regularizers(register):
    from ganzoo.regularizers import BUILTIN_REGULARIZERS

    for cls in BUILTIN_REGULARIZERS:
        register(cls.name, cls)


@hookimpl
def register_datasets(register):
    from ganzoo.data.sources import builtin_datasets

    for name, source in builtin_datasets().items():
        register(name, source)


@hookimpl
def register_feature_extractors(register):
    from ganzoo.metrics.extractors import builtin_feature_extractors

    for name, factory in builtin_feature_extractors().items():
        register(name, factory)

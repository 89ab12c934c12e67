"""The core's own plugins, registered through the same hooks as any plugin.

They are three separate plugins so that a failure in one (say, the metrics
extractors) does not take the losses and regularizers down with it.
"""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


class CorePlugin:
    """Built-in adversarial losses, regularizers and augmentation pipelines."""

    @hookimpl
    def register_losses(self, register):
        from ganzoo.losses import BUILTIN_LOSSES

        for loss in BUILTIN_LOSSES:
            register(loss.name, loss)

    @hookimpl
    def register_regularizers(self, register):
        from ganzoo.regularizers import BUILTIN_REGULARIZERS

        for cls in BUILTIN_REGULARIZERS:
            register(cls.name, cls)

    @hookimpl
    def register_augmentations(self, register):
        from ganzoo.augment import BUILTIN_AUGMENTATIONS

        for cls in BUILTIN_AUGMENTATIONS:
            register(cls.spec_name, cls)


class DataPlugin:
    """Built-in dataset sources."""

    @hookimpl
    def register_datasets(self, register):
        from ganzoo.data.sources import builtin_datasets

        for name, source in builtin_datasets().items():
            register(name, source)


class MetricsPlugin:
    """Built-in metric feature extractors."""

    @hookimpl
    def register_feature_extractors(self, register):
        from ganzoo.metrics.extractors import builtin_feature_extractors

        for name, factory in builtin_feature_extractors().items():
            register(name, factory)


CORE_PLUGINS = {
    "ganzoo": CorePlugin(),
    "ganzoo.data": DataPlugin(),
    "ganzoo.metrics": MetricsPlugin(),
}

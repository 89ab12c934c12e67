"""Core plugin ``ganzoo.metrics``: the built-in metric feature extractors."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_feature_extractors(register):
    from ganzoo.metrics.extractors.extractor_registry import builtin_feature_extractors
    from ganzoo.registry import Named

    # The built-ins are factories (classes) named by their key, not by an attribute.
    for name, factory in builtin_feature_extractors().items():
        register(Named(name, factory))

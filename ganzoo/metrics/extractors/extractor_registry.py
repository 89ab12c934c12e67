"""The feature-extractor registry's built-ins, and lookup by name.

Built-ins are registered by ``ganzoo.builtins`` through the same
``register_feature_extractors`` hook a third-party plugin uses::

    @ganzoo.hookimpl
    def register_feature_extractors(register):
        register("my_extractor", MyExtractor)   # MyExtractor(**kwargs) -> extractor

See :mod:`ganzoo.metrics.extractors.feature_extractor` for the protocol an extractor follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ganzoo.errors import MetricsError
from ganzoo.metrics.extractors.classifier import ClassifierExtractor
from ganzoo.metrics.extractors.feature_extractor import FeatureExtractor
from ganzoo.metrics.extractors.fid_inception import FIDInceptionExtractor
from ganzoo.metrics.extractors.inception import InceptionV3Extractor


def builtin_feature_extractors() -> dict[str, Callable[..., Any]]:
    """``name -> factory(**kwargs)`` for the extractors ganzoo ships."""
    return {
        "inception_v3": InceptionV3Extractor,
        "fid_inception": FIDInceptionExtractor,
        "classifier": ClassifierExtractor,
    }


def get_feature_extractor(extractor: str | FeatureExtractor, **kwargs: Any) -> Any:
    """An extractor instance: ``extractor`` itself, or the registered factory's result."""
    if not isinstance(extractor, str):
        if kwargs:
            raise MetricsError(
                "extractor options were given with an extractor instance; "
                "pass a registered name to have them used"
            )
        return extractor
    from ganzoo.plugins import registries

    factory = registries().feature_extractors.get(extractor)
    return factory(**kwargs)

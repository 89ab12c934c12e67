"""User-facing errors raised by ganzoo.metrics."""

from __future__ import annotations

from ganzoo.registry import GanzooError


class MetricsError(GanzooError):
    """A metric was asked for something it cannot compute (bad shapes, sizes)."""


class WeightsNotFoundError(MetricsError):
    """A feature extractor's weights are neither cached nor given as a file."""


class ExtractorCapabilityError(MetricsError):
    """An extractor was asked for an output it does not have (e.g. logits)."""

"""Calling an extractor, whichever optional methods it implements."""

from __future__ import annotations

from typing import Any

import numpy as np

from ganzoo.errors import MetricsError


def has_logits(extractor: Any) -> bool:
    """Whether ``extractor`` can give class logits."""
    return bool(getattr(extractor, "has_logits", hasattr(extractor, "logits")))


def extract(
    extractor: Any, images: np.ndarray, *, want_logits: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Features and (when wanted and available) logits of one batch, checked."""
    if want_logits and has_logits(extractor):
        if hasattr(extractor, "features_and_logits"):
            feats, logits = extractor.features_and_logits(images)
        else:
            feats, logits = extractor.features(images), extractor.logits(images)
    else:
        feats, logits = extractor.features(images), None
    feats = np.asarray(feats, dtype=np.float32)
    n = len(images)
    if feats.ndim != 2 or feats.shape[0] != n:
        raise MetricsError(
            f"extractor '{extractor.name}' returned features of shape {feats.shape} "
            f"for {n} images; it must return (num_images, feature_dim)"
        )
    if logits is not None:
        logits = np.asarray(logits, dtype=np.float32)
    return feats, logits

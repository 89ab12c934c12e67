"""Intra-class FID of a class-conditional generator.

For each class c, the Fréchet distance between the features of images
generated with label c and those of the real images of class c; the score is
their mean (as in the conditional-GAN literature, e.g. Miyato & Koyama 2018).
Real features are streamed per class into running statistics; generated
images are drawn ``batch_size`` at a time, so nothing but statistics is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.evaluation.batches import images_of
from ganzoo.metrics.extractors.feature_extractor import extract
from ganzoo.metrics.scores.frechet import frechet_distance
from ganzoo.metrics.scores.statistics import RunningStatistics


def _class_statistics(extractor, images, labels, classes, batch_size):
    stats = {c: RunningStatistics() for c in classes}
    for start in range(0, len(images), batch_size):
        feats, _ = extract(extractor, np.asarray(images[start : start + batch_size]),
                           want_logits=False)
        batch_labels = labels[start : start + batch_size]
        for c in classes:
            stats[c].update(feats[batch_labels == c])
    return stats


def intra_fid(
    class_sample_fn: Callable[[int, int, int], Any],
    real_images: np.ndarray,
    real_labels: np.ndarray,
    extractor: Any,
    *,
    num_classes: int,
    samples_per_class: int,
    batch_size: int = 250,
) -> dict[str, Any]:
    """Intra-class FID of a conditional generator against labelled real images.

    Args:
        class_sample_fn: ``class_sample_fn(label, n, start_index) -> n images``
            generated with class ``label``.
        real_images, real_labels: the real data (NHWC) and its integer labels.
        extractor: an extractor instance (``get_feature_extractor``).
        num_classes: the generator's classes, ``0 .. num_classes - 1``.
        samples_per_class: images generated per class.
        batch_size: images per sampler and extractor call.

    Returns:
        ``{"intra_fid": mean, "intra_fid_per_class": {"0": fid, ...},
        "provenance": {...}}``.
    """
    if num_classes < 1:
        raise MetricsError("intra-class FID needs a class-conditional model")
    if samples_per_class < 2:
        raise MetricsError(f"intra-class FID needs >= 2 samples per class, got {samples_per_class}")
    labels = np.asarray(real_labels).reshape(-1).astype(np.int64)
    if len(labels) != len(real_images):
        raise MetricsError(f"{len(real_images)} real images but {len(labels)} labels")
    classes = list(range(num_classes))
    real_stats = _class_statistics(extractor, real_images, labels, classes, batch_size)
    short = [c for c in classes if real_stats[c].count < 2]
    if short:
        raise MetricsError(f"class {short[0]} has {real_stats[short[0]].count} real images; "
                           "intra-class FID needs at least 2 real images of every class")
    per_class = {}
    for c in classes:
        fake = RunningStatistics()
        for start in range(0, samples_per_class, batch_size):
            n = min(batch_size, samples_per_class - start)
            feats, _ = extract(extractor, images_of(class_sample_fn(c, n, start)),
                               want_logits=False)
            fake.update(feats)
        per_class[str(c)] = frechet_distance(*fake.result(), *real_stats[c].result())
    return {
        "intra_fid": float(np.mean(list(per_class.values()))),
        "intra_fid_per_class": per_class,
        "provenance": {
            "extractor": extractor.name,
            "weights_hash": extractor.weights_hash,
            "resize_method": extractor.resize_method,
            "input_size": list(extractor.input_size),
            "intra_fid_samples_per_class": samples_per_class,
            "intra_fid_real_per_class": [real_stats[c].count for c in classes],
            "backend": keras.backend.backend(),
        },
    }

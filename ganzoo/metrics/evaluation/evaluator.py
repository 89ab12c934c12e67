"""``evaluate``: stream generated images through an extractor and score them.

Generated images are drawn ``batch_size`` at a time from
``sample_fn(n, start_index)`` and only their features (and class
probabilities for IS) are kept. Real statistics come from
:mod:`ganzoo.metrics.evaluation.reference` (cached). Every result carries the
provenance needed to compare it with another: extractor, weights hash,
resize method, sample count, reference and its size, and the real-vs-real
floor.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np

from ganzoo.errors import ExtractorCapabilityError, MetricsError
from ganzoo.metrics.evaluation.batches import images_of
from ganzoo.metrics.evaluation.reference import ReferenceStats, reference_statistics
from ganzoo.metrics.extractors.extractor_registry import get_feature_extractor
from ganzoo.metrics.extractors.feature_extractor import extract, has_logits
from ganzoo.metrics.scores.density_coverage import density_coverage
from ganzoo.metrics.scores.frechet import frechet_distance
from ganzoo.metrics.scores.inception_score import inception_score, softmax
from ganzoo.metrics.scores.kid import kernel_inception_distance
from ganzoo.metrics.scores.precision_recall import precision_recall
from ganzoo.metrics.scores.statistics import RunningStatistics

METRICS = ("fid", "kid", "is", "pr", "dc")
SampleFn = Callable[[int, int], Any]


def _check_metrics(metrics: Sequence[str]) -> tuple[str, ...]:
    if isinstance(metrics, str):
        metrics = (metrics,)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise MetricsError(
            f"unknown metric '{unknown[0]}'; choose from {', '.join(METRICS)}"
        )
    return tuple(dict.fromkeys(metrics))


def _generated_features(
    sample_fn: SampleFn,
    extractor: Any,
    *,
    num_samples: int,
    batch_size: int,
    keep_features: bool,
    want_probs: bool,
) -> tuple[RunningStatistics, np.ndarray | None, np.ndarray | None]:
    """Stream ``num_samples`` images from ``sample_fn`` in batches; keep features only."""
    stats = RunningStatistics()
    feats_kept, probs_kept = [], []
    for start in range(0, num_samples, batch_size):
        n = min(batch_size, num_samples - start)
        images = images_of(sample_fn(n, start))
        if images.shape[0] != n:
            raise MetricsError(
                f"sample_fn({n}, {start}) returned {images.shape[0]} images; "
                f"it must return exactly {n}"
            )
        feats, logits = extract(extractor, images, want_logits=want_probs)
        stats.update(feats)
        if keep_features:
            feats_kept.append(feats)
        if want_probs:
            probs_kept.append(softmax(logits).astype(np.float32))
    return (
        stats,
        np.concatenate(feats_kept) if keep_features else None,
        np.concatenate(probs_kept) if want_probs else None,
    )


def _scores(
    metrics: tuple[str, ...],
    *,
    stats: tuple[np.ndarray, np.ndarray],
    ref_stats: tuple[np.ndarray, np.ndarray],
    features: np.ndarray | None,
    ref_features: np.ndarray | None,
    probs: np.ndarray | None,
    kid_subsets: int,
    kid_subset_size: int,
    pr_k: int,
    dc_k: int,
    is_splits: int,
    seed: int,
) -> dict[str, float]:
    """The requested scores of one set (``features``) against a reference."""
    out: dict[str, float] = {}
    if "fid" in metrics:
        out["fid"] = frechet_distance(*stats, *ref_stats)
    if "kid" in metrics:
        out["kid"], out["kid_std"] = kernel_inception_distance(
            features, ref_features, kid_subsets, kid_subset_size, seed
        )
    if "is" in metrics:
        out["is"], out["is_std"] = inception_score(probs, min(is_splits, len(probs)))
    if "pr" in metrics:
        m = min(len(features), len(ref_features))
        out["precision"], out["recall"] = precision_recall(
            ref_features[:m], features[:m], k=pr_k
        )
    if "dc" in metrics:
        m = min(len(features), len(ref_features))
        out["density"], out["coverage"] = density_coverage(
            ref_features[:m], features[:m], k=dc_k
        )
    return out


def _floor(
    metrics: tuple[str, ...],
    ref: ReferenceStats,
    second: ReferenceStats | None,
    **kw: Any,
) -> tuple[dict[str, float], dict[str, Any]]:
    """Real-vs-real scores: a second split vs the reference, or its two halves."""
    if second is not None:
        a_stats, a_feats, a_probs = (second.mu, second.sigma), second.features, second.probs
        b_stats, b_feats = (ref.mu, ref.sigma), ref.features
        sizes = {"fid": [second.count, ref.count]}
    else:
        (mu_a, sig_a, n_a), (mu_b, sig_b, n_b) = ref.halves
        a_stats, b_stats = (mu_a, sig_a), (mu_b, sig_b)
        a_feats = ref.features[~ref.feature_half]
        b_feats = ref.features[ref.feature_half]
        a_probs = ref.probs
        sizes = {"fid": [n_a, n_b]}
    scores = _scores(metrics, stats=a_stats, ref_stats=b_stats, features=a_feats,
                     ref_features=b_feats, probs=a_probs, **kw)
    if "is" in scores:  # of real images: the ceiling, not a distance
        scores["is_real"], scores["is_real_std"] = scores.pop("is"), scores.pop("is_std")
    sizes["kid_pr"] = [len(a_feats), len(b_feats)]
    return scores, sizes


def evaluate(
    sample_fn: SampleFn,
    real: object,
    metrics: Sequence[str] = METRICS,
    extractor: Any = "inception_v3",
    num_samples: int = 10000,
    batch_size: int = 250,
    seed: int = 0,
    reference_cache_dir: str | os.PathLike[str] | None = None,
    reference_key: str | None = None,
    *,
    reference_split: str = "train",
    real_floor: object | None = None,
    floor_split: str = "test",
    extractor_kwargs: dict[str, Any] | None = None,
    max_reference_features: int = 10000,
    kid_subsets: int = 100,
    kid_subset_size: int = 1000,
    pr_k: int = 3,
    dc_k: int = 5,
    is_splits: int = 10,
) -> dict[str, Any]:
    """Score ``num_samples`` generated images against ``real``.

    Args:
        sample_fn: ``sample_fn(n, start_index) -> images`` (NHWC, uint8 or
            floats in ``[-1, 1]``); called with ``n <= batch_size``.
        real: real images (an array, or an iterable of batches / ``(images,
            labels)`` tuples) — the reference.
        metrics: any of ``"fid"``, ``"kid"``, ``"is"``, ``"pr"``, ``"dc"``
            (density and coverage).
        extractor: a registered extractor name or an extractor instance.
        num_samples: generated images to score.
        batch_size: images per ``sample_fn`` call and per extractor call.
        seed: seed of the KID subsets (also recorded).
        reference_cache_dir: where reference statistics are cached
            (default ``~/.cache/ganzoo/reference``).
        reference_key: the real data's name for the cache, e.g. ``"fashion_mnist"``.
        reference_split: the real data's split name (cache key, provenance).
        real_floor: a second real split for the floor; default: the
            reference's two disjoint random halves.
        floor_split: ``real_floor``'s split name.
        extractor_kwargs: options for a named extractor (e.g. ``weights``).
        max_reference_features: real features kept for KID and PR.
        kid_subsets, kid_subset_size: KID's subset count and size.
        pr_k: the k of precision/recall's k-NN radii.
        dc_k: the k of density/coverage's k-NN radii (5 in the paper).
        is_splits: IS splits.

    Returns:
        A dict with the scores (``fid``, ``kid``, ``kid_std``, ``is``,
        ``is_std``, ``precision``, ``recall``, ``density``, ``coverage`` as requested), ``floor`` (the
        same scores for real vs real; ``is_real`` for IS) and ``provenance``.
    """
    metrics = _check_metrics(metrics)
    if num_samples < 4 or batch_size < 1:
        raise MetricsError(
            f"num_samples must be >= 4 and batch_size >= 1, got {num_samples}, {batch_size}"
        )
    ext = get_feature_extractor(extractor, **(extractor_kwargs or {}))
    want_probs = "is" in metrics
    if want_probs and not has_logits(ext):
        raise ExtractorCapabilityError(
            f"IS needs class logits, which extractor '{ext.name}' does not give; "
            "drop 'is' from metrics or use weights with a classifier"
        )
    cache = dict(cache_dir=reference_cache_dir, batch_size=batch_size,
                 max_features=max_reference_features)
    ref, ref_info = reference_statistics(ext, real, key=reference_key, split=reference_split, **cache)
    second = second_info = None
    if real_floor is not None:
        second, second_info = reference_statistics(
            ext, real_floor, key=reference_key, split=floor_split, **cache
        )
    keep = bool({"kid", "pr", "dc"} & set(metrics))
    stats, feats, probs = _generated_features(sample_fn, ext, num_samples=num_samples,
                                              batch_size=batch_size, keep_features=keep,
                                              want_probs=want_probs)
    kw = dict(kid_subsets=kid_subsets, kid_subset_size=kid_subset_size, pr_k=pr_k,
              dc_k=dc_k, is_splits=is_splits, seed=seed)
    result: dict[str, Any] = _scores(metrics, stats=stats.result(), ref_stats=(ref.mu, ref.sigma),
                                     features=feats, ref_features=ref.features, probs=probs, **kw)
    floor, floor_sizes = _floor(metrics, ref, second, **kw)
    result["floor"] = floor
    result["provenance"] = _provenance(
        ext, metrics, ref, ref_info, second, second_info, floor_sizes, num_samples=num_samples,
        batch_size=batch_size, reference_split=reference_split, floor_split=floor_split, **kw,
    )
    return result


def _provenance(
    ext: Any,
    metrics: tuple[str, ...],
    ref: ReferenceStats,
    ref_info: dict[str, Any],
    second: ReferenceStats | None,
    second_info: dict[str, Any] | None,
    floor_sizes: dict[str, Any],
    **settings: Any,
) -> dict[str, Any]:
    from ganzoo import __version__

    key = ref_info["key"]
    floor_method = (
        f"split '{settings['floor_split']}' vs reference"
        if second is not None
        else "two disjoint random halves of the reference"
    )
    return {
        "metrics": list(metrics),
        "extractor": ext.name,
        "weights_hash": ext.weights_hash,
        "resize_method": ext.resize_method,
        "input_size": list(ext.input_size),
        "feature_dim": int(ref.features.shape[1]),
        "num_generated": settings["num_samples"],
        "batch_size": settings["batch_size"],
        "seed": settings["seed"],
        "reference": f"{key['dataset']}:{settings['reference_split']}",
        "reference_size": ref.count,
        "reference_image_shape": key["image_shape"],
        "reference_features": int(len(ref.features)),
        "reference_cache_file": ref_info["cache_file"],
        "reference_cache_hit": ref_info["cache_hit"],
        "floor_method": floor_method,
        "floor_size": second.count if second is not None else None,
        "floor_cache_hit": second_info["cache_hit"] if second_info else None,
        "floor_sizes": floor_sizes,
        "kid_subsets": settings["kid_subsets"],
        "kid_subset_size": settings["kid_subset_size"],
        "pr_k": settings["pr_k"],
        "dc_k": settings["dc_k"],
        "is_splits": settings["is_splits"],
        "backend": keras.backend.backend(),
        "ganzoo_version": __version__,
    }

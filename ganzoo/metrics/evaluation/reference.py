"""Reference (real-data) statistics, computed once and cached on disk.

One streaming pass over the real images gives: the mean and covariance of
all features, the same for two disjoint random halves (for the real-vs-real
floor), and the features (and class probabilities, when the extractor has
logits) of up to ``max_features`` real images for KID and precision/recall,
each marked with its half. For arrays the halves are an exact random split
and the kept images a random subset, both from fixed seeds; for iterables
each image joins a half by a seeded coin flip and the kept images are the
first ones (shuffle beforehand). Random, not alternating, halves: data
ordered by class (0, 1, 2, ... or sorted) would otherwise split unevenly.

The cache file is keyed by (dataset key, split, extractor, weights hash,
image size, preprocessing, feature count) and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.metrics.evaluation.batches import (
    array_fingerprint,
    is_array_like,
    iter_image_batches,
)
from ganzoo.metrics.extractors.feature_extractor import cache_dir, extract
from ganzoo.metrics.extractors.preprocessing import FID_RESIZE_ALIASES
from ganzoo.metrics.scores.inception_score import softmax
from ganzoo.metrics.scores.statistics import RunningStatistics

CACHE_VERSION = 2
# The resizes' names before they said what they do; caches written under them still serve.
OLD_RESIZE_NAMES = {new: old for old, new in FID_RESIZE_ALIASES.items()}
SUBSET_SEED = 0  # fixed, so one cache entry serves every evaluation seed


def default_cache_dir() -> Path:
    """``$GANZOO_CACHE_DIR/reference`` or ``~/.cache/ganzoo/reference``."""
    return cache_dir("reference")


@dataclass
class ReferenceStats:
    """Everything the metrics need from the real data, for one extractor."""

    mu: np.ndarray
    sigma: np.ndarray
    count: int
    halves: tuple[
        tuple[np.ndarray, np.ndarray, int], tuple[np.ndarray, np.ndarray, int]
    ]
    features: np.ndarray
    feature_half: np.ndarray  # bool per kept feature: in the second half
    probs: np.ndarray | None
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write to ``path`` atomically (a temp file in the same folder, renamed)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        (mu_a, sig_a, n_a), (mu_b, sig_b, n_b) = self.halves
        arrays = dict(
            mu=self.mu,
            sigma=self.sigma,
            count=np.int64(self.count),
            mu_a=mu_a,
            sigma_a=sig_a,
            count_a=np.int64(n_a),
            mu_b=mu_b,
            sigma_b=sig_b,
            count_b=np.int64(n_b),
            features=self.features,
            feature_half=self.feature_half,
            meta=np.array(json.dumps(self.meta)),
        )
        if self.probs is not None:
            arrays["probs"] = self.probs
        fd, tmp = tempfile.mkstemp(
            prefix=path.name + ".", suffix=".tmp", dir=path.parent
        )
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> ReferenceStats:
        with np.load(path, allow_pickle=False) as z:
            return cls(
                mu=z["mu"],
                sigma=z["sigma"],
                count=int(z["count"]),
                halves=(
                    (z["mu_a"], z["sigma_a"], int(z["count_a"])),
                    (z["mu_b"], z["sigma_b"], int(z["count_b"])),
                ),
                features=z["features"],
                feature_half=z["feature_half"],
                probs=z["probs"] if "probs" in z.files else None,
                meta=json.loads(str(z["meta"])),
            )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:48] or "data"


def cache_path(cache_dir: Path, key: dict[str, Any]) -> Path:
    """The cache file for ``key`` (a readable prefix and a hash of the whole key)."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    name = f"{_slug(key['dataset'])}_{_slug(key['split'])}_{_slug(key['extractor'])}"
    return cache_dir / f"{name}_{digest}.npz"


def _peek(data: object, batch_size: int) -> tuple[tuple[int, ...], object]:
    """The image shape (H, W, C) of ``data``, and ``data`` still whole."""
    if is_array_like(data):
        shape = tuple(data.shape[1:])
        return (shape + (1,) if len(shape) == 2 else shape), data
    batches = iter_image_batches(data, batch_size)
    try:
        first = next(batches)
    except StopIteration:
        raise MetricsError("the real data is empty") from None

    def replay():
        yield first
        yield from batches

    shape = tuple(first.shape[1:])
    return (shape + (1,) if len(shape) == 2 else shape), replay()


def compute_reference(
    extractor: Any, data: object, *, batch_size: int, max_features: int
) -> ReferenceStats:
    """One streaming pass of ``extractor`` over ``data`` (see module docstring)."""
    half_rng = np.random.default_rng(SUBSET_SEED + 1)
    if is_array_like(data):
        n_total = len(data)
        rng = np.random.default_rng(SUBSET_SEED)
        keep_idx = np.sort(
            rng.choice(n_total, min(max_features, n_total), replace=False)
        )
        second_half = np.zeros(n_total, dtype=bool)
        second_half[half_rng.permutation(n_total)[: n_total // 2]] = True
    else:
        keep_idx = second_half = None
    total, first, second = RunningStatistics(), RunningStatistics(), RunningStatistics()
    kept_f, kept_h, kept_p = [], [], []
    n_kept = 0
    seen = 0
    for images in iter_image_batches(data, batch_size):
        feats, logits = extract(extractor, images, want_logits=True)
        n = feats.shape[0]
        idx = np.arange(seen, seen + n)
        if second_half is not None:
            in_second = second_half[idx]
        else:
            in_second = half_rng.random(n) < 0.5
        total.update(feats)
        first.update(feats[~in_second])
        second.update(feats[in_second])
        if keep_idx is not None:
            mask = np.isin(idx, keep_idx)
        else:
            mask = np.arange(n) < max_features - n_kept
        kept_f.append(feats[mask].astype(np.float32))
        kept_h.append(in_second[mask])
        if logits is not None:
            kept_p.append(softmax(logits[mask]).astype(np.float32))
        n_kept += int(mask.sum())
        seen += n
    if seen < 4:
        raise MetricsError(f"the real data has {seen} images; metrics need at least 4")
    mu, sigma = total.result()
    return ReferenceStats(
        mu=mu,
        sigma=sigma,
        count=seen,
        halves=((*first.result(), first.count), (*second.result(), second.count)),
        features=np.concatenate(kept_f),
        feature_half=np.concatenate(kept_h),
        probs=np.concatenate(kept_p) if kept_p else None,
    )


def reference_statistics(
    extractor: Any,
    data: object,
    *,
    key: str | None,
    split: str,
    cache_dir: str | os.PathLike[str] | None,
    batch_size: int,
    max_features: int,
) -> tuple[ReferenceStats, dict[str, Any]]:
    """Cached :func:`compute_reference`; also returns how it was obtained.

    ``key`` names the dataset (e.g. ``"fashion_mnist"``); without one, arrays
    are keyed by a fingerprint of their bytes and iterables are not cached.
    """
    image_shape, data = _peek(data, batch_size)
    if key is None and is_array_like(data):
        key = "array-" + array_fingerprint(data)[:16]
    cache_key = {
        "version": CACHE_VERSION,
        "dataset": key or "unnamed",
        "split": split,
        "extractor": extractor.name,
        "weights_hash": extractor.weights_hash,
        "image_shape": list(image_shape),
        "input_size": list(extractor.input_size),
        "resize_method": extractor.resize_method,
        "max_features": int(max_features),
        "subset_seed": SUBSET_SEED,
    }
    folder = Path(cache_dir or default_cache_dir()).expanduser()
    path = cache_path(folder, cache_key)
    info = {
        "key": cache_key,
        "cache_file": str(path) if key else None,
        "cache_hit": False,
    }
    old_name = OLD_RESIZE_NAMES.get(extractor.resize_method)
    old_key = {**cache_key, "resize_method": old_name} if old_name else None
    for found_key in (cache_key, old_key) if key else ():  # an entry from before the rename too
        found = cache_path(folder, found_key) if found_key else None
        if found is not None and found.is_file():
            stats = ReferenceStats.load(found)
            if stats.meta.get("key") == found_key:
                info.update(cache_hit=True, cache_file=str(found))
                return stats, info
    stats = compute_reference(
        extractor, data, batch_size=batch_size, max_features=max_features
    )
    stats.meta = {"key": cache_key}
    if key:
        stats.save(path)
    return stats, info

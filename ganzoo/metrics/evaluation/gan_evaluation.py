"""``evaluate_gan``: score a trained GAN against the dataset of its run.

What ``ganzoo eval`` and ``ganzoo train --eval-every`` call; it builds the
real reference from the run's dataset and hands sampling to
:func:`ganzoo.metrics.evaluate`.
"""

from __future__ import annotations

import contextlib

import numpy as np

from ganzoo.data import load_arrays, resolve_source
from ganzoo.errors import DataError
from ganzoo.metrics.evaluation.evaluator import evaluate
from ganzoo.metrics.extractors.classifier import class_accuracy, load_classifier


def evaluate_gan(gan, run_config: dict, *, metrics, extractor="classifier", weights=None,
                 num_samples=10000, batch_size=250, seed=0, truncation=None, use_ema=True,
                 split="test", max_reference=10000, kid_subset_size=1000,
                 extractor_options=None, source=None) -> dict:
    """Score ``gan`` against its run's dataset; the result of ``ganzoo.metrics.evaluate``.

    Real reference: the dataset's train split at the run's image size and
    channels; the floor: ``split`` vs train (or two halves of train when the
    dataset has no such split). Conditional models cycle labels over classes;
    with the classifier extractor their class accuracy is added.
    ``extractor_options``: more extractor arguments (e.g. fid_inception's
    ``resize``). ``source``: the run's dataset already resolved
    (``ganzoo.data.resolve_source``), as the trainer passes it; by default it
    is resolved here, once for both splits.
    """
    dataset, cfg = run_config["dataset"], run_config["config"]
    source = resolve_source(dataset) if source is None else source
    load = dict(image_size=cfg["image_size"], channels=cfg["channels"])
    real, _ = load_arrays(source, **load)
    floor, floor_split = None, None
    if split and split != "train":
        try:
            floor, _ = load_arrays(source, split=split, **load)
            floor_split = split
        except DataError:
            floor = None
    classes = int(gan.num_classes or 0)

    def labels_at(start, n):
        return (np.arange(start, start + n) % classes).astype("int32") if classes else None

    def sample_fn(n, start):
        return gan.generate(n, seed=seed * 1_000_003 + start, labels=labels_at(start, n),
                            truncation=truncation, use_ema=use_ema)

    kwargs = {**({"weights": weights} if weights else {}), **(extractor_options or {})}
    # One set of standing batch-norm statistics for every batch, not one per batch.
    with (gan.standing_statistics(truncation, use_ema=use_ema) if truncation is not None
          else contextlib.nullcontext()):
        result = evaluate(
            sample_fn, real, metrics, extractor, num_samples=num_samples,
            batch_size=batch_size, seed=seed, reference_key=dataset,
            reference_split="train", real_floor=floor, floor_split=floor_split or "train",
            extractor_kwargs=kwargs, max_reference_features=max_reference,
            kid_subset_size=kid_subset_size,
        )
        if classes and extractor == "classifier":
            result["class_accuracy"] = _class_accuracy(sample_fn, labels_at, weights,
                                                       num_samples, batch_size)
    result["provenance"]["truncation"] = truncation
    result["provenance"]["generator"] = "ema" if use_ema and gan.ema_generator else "raw"
    result["provenance"]["floor_split"] = floor_split
    return result


def _class_accuracy(sample_fn, labels_at, weights, num_samples, batch_size):
    """Share of generated samples the domain classifier puts in their intended class."""
    model = load_classifier(weights)
    hits = 0
    for start in range(0, num_samples, batch_size):
        n = min(batch_size, num_samples - start)
        hits += class_accuracy(model, sample_fn(n, start), labels_at(start, n)) * n
    return float(hits / num_samples)

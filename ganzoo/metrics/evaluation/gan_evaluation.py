"""``evaluate_gan``: score a trained GAN against the dataset of its run.

What ``ganzoo eval`` and ``ganzoo train --eval-every`` call; it builds the
real reference from the run's dataset and hands sampling to
:func:`ganzoo.metrics.evaluate` (and, for ``intra_fid``, to
:func:`ganzoo.metrics.evaluation.intra_fid.intra_fid`).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ganzoo.data import load_arrays, resolve_source
from ganzoo.errors import DataError, MetricsError
from ganzoo.metrics.evaluation.evaluator import METRICS, evaluate
from ganzoo.metrics.evaluation.intra_fid import intra_fid
from ganzoo.metrics.extractors.classifier import class_accuracy, load_classifier
from ganzoo.metrics.extractors.extractor_registry import get_feature_extractor

GAN_METRICS = (*METRICS, "intra_fid")  # intra_fid: class-conditional models only


def evaluate_gan(gan, run_config: dict, *, metrics, extractor="classifier", weights=None,
                 num_samples=10000, batch_size=250, seed=0, truncation=None, use_ema=True,
                 split="test", max_reference=10000, kid_subset_size=1000,
                 extractor_options=None, source=None) -> dict:
    """Score ``gan`` against its run's dataset; the result of ``ganzoo.metrics.evaluate``.

    Real reference: the dataset's train split at the run's image size and
    channels; the floor: ``split`` vs train (or two halves of train when the
    dataset has no such split). Conditional models cycle labels over classes;
    with the classifier extractor their class accuracy is added.
    ``"intra_fid"`` in ``metrics`` adds the intra-class FID of a conditional
    model (``num_samples // num_classes`` images per class, each class against
    the train split's images of that class): ``intra_fid`` and
    ``intra_fid_per_class``.
    ``extractor_options``: more extractor arguments (e.g. fid_inception's
    ``resize``). ``source``: the run's dataset already resolved
    (``ganzoo.data.resolve_source``), as the trainer passes it; by default it
    is resolved here, once for both splits.
    """
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    want_intra = "intra_fid" in metrics
    metrics = tuple(m for m in metrics if m != "intra_fid")
    dataset, cfg = run_config["dataset"], run_config["config"]
    classes = int(gan.num_classes or 0)
    if want_intra and not classes:
        raise MetricsError("intra_fid needs a class-conditional model; this one is "
                           "unconditional (use fid)")
    source = resolve_source(dataset) if source is None else source
    load = dict(image_size=cfg["image_size"], channels=cfg["channels"])
    real, real_labels = _load_train(source, load, want_intra, dataset)
    floor, floor_split = None, None
    if split and split != "train" and metrics:
        try:
            floor, _ = load_arrays(source, split=split, **load)
            floor_split = split
        except DataError:
            floor = None

    def labels_at(start, n):
        return (np.arange(start, start + n) % classes).astype("int32") if classes else None

    def sample_fn(n, start):
        return gan.generate(n, seed=seed * 1_000_003 + start, labels=labels_at(start, n),
                            truncation=truncation, use_ema=use_ema)

    def class_sample_fn(label, n, start):
        return gan.generate(n, seed=(seed * 1_000_003 + 7_919 * (label + 1) + start) % 2**31,
                            labels=np.full((n,), label, "int32"), truncation=truncation,
                            use_ema=use_ema)

    kwargs = {**({"weights": weights} if weights else {}), **(extractor_options or {})}
    ext = get_feature_extractor(extractor, **kwargs)  # built once for every metric
    # One set of standing batch-norm statistics for every batch, not one per batch.
    with (gan.standing_statistics(truncation, use_ema=use_ema) if truncation is not None
          else contextlib.nullcontext()):
        result = {"floor": {}, "provenance": {"metrics": []}}
        if metrics:
            result = evaluate(
                sample_fn, real, metrics, ext, num_samples=num_samples,
                batch_size=batch_size, seed=seed, reference_key=dataset,
                reference_split="train", real_floor=floor, floor_split=floor_split or "train",
                max_reference_features=max_reference, kid_subset_size=kid_subset_size,
            )
        if want_intra:
            _add_intra_fid(result, intra_fid(
                class_sample_fn, real, real_labels, ext, num_classes=classes,
                samples_per_class=max(2, num_samples // classes), batch_size=batch_size),
                num_generated=num_samples, seed=seed, reference=f"{dataset}:train",
                reference_size=len(real))
        if classes and extractor == "classifier":
            result["class_accuracy"] = _class_accuracy(sample_fn, labels_at, weights,
                                                       num_samples, batch_size)
    result["provenance"]["truncation"] = truncation
    result["provenance"]["generator"] = "ema" if use_ema and gan.ema_generator else "raw"
    result["provenance"]["floor_split"] = floor_split
    return result


def _add_intra_fid(result: dict, intra: dict, **provenance) -> None:
    """Put intra_fid's scores and provenance into ``evaluate``'s result."""
    result["intra_fid"] = intra["intra_fid"]
    result["intra_fid_per_class"] = intra["intra_fid_per_class"]
    prov = result["provenance"]
    result["provenance"] = {**intra["provenance"], **provenance, **prov,
                            "metrics": [*prov.get("metrics", []), "intra_fid"]}


def _load_train(source, load, with_labels, dataset):
    """The train split's images (and labels, for intra-FID: an error if it has none)."""
    if not with_labels:
        return load_arrays(source, **load)[0], None
    try:
        return load_arrays(source, with_labels=True, **load)
    except DataError as error:
        if "has no labels" not in str(error):
            raise
        raise MetricsError(f"intra_fid needs class labels, and dataset {dataset} has "
                           "none") from None


def _class_accuracy(sample_fn, labels_at, weights, num_samples, batch_size):
    """Share of generated samples the domain classifier puts in their intended class."""
    model = load_classifier(weights)
    hits = 0
    for start in range(0, num_samples, batch_size):
        n = min(batch_size, num_samples - start)
        hits += class_accuracy(model, sample_fn(n, start), labels_at(start, n)) * n
    return float(hits / num_samples)

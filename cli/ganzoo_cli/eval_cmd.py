"""``ganzoo eval``: score a trained run with FID/KID/IS/PR and log the result."""

from __future__ import annotations

import time

import click

from ganzoo_cli.errors import CLIError
from ganzoo_cli.output import echo_json, echo_table

EXTRACTORS = ("classifier", "inception_v3")


def parse_metrics(text: str) -> tuple[str, ...]:
    """``"fid,kid"`` -> ``("fid", "kid")``; unknown names are a one-line error."""
    from ganzoo.metrics import METRICS

    names = tuple(m.strip().lower() for m in text.split(",") if m.strip())
    unknown = [m for m in names if m not in METRICS]
    if unknown or not names:
        raise CLIError(f"unknown metric '{unknown[0] if unknown else text}'; "
                       f"choose from {', '.join(METRICS)}")
    return names


def check_weights(extractor: str, weights: str | None) -> None:
    """The classifier extractor needs a trained .keras file: say how to make one."""
    from pathlib import Path

    if extractor == "classifier" and not weights:
        raise CLIError("--extractor classifier needs --weights PATH; train one with "
                       "`ganzoo classifier fit --dataset DATASET --out PATH.keras`")
    if weights and not Path(weights).expanduser().is_file():
        raise CLIError(f"--weights {weights} does not exist; train one with "
                       "`ganzoo classifier fit --dataset DATASET --out PATH.keras`")


def evaluate_gan(gan, run_config: dict, *, metrics, extractor="classifier", weights=None,
                 num_samples=10000, batch_size=250, seed=0, truncation=None,
                 split="test", max_reference=10000, kid_subset_size=1000) -> dict:
    """Score ``gan`` against its run's dataset; the result of ``ganzoo.metrics.evaluate``.

    Real reference: the dataset's train split at the run's image size and
    channels; the floor: ``split`` vs train (or two halves of train when the
    dataset has no such split). Conditional models cycle labels over classes;
    with the classifier extractor their class accuracy is added.
    """
    import numpy as np

    from ganzoo.data import load_arrays
    from ganzoo.data.errors import DataError
    from ganzoo.metrics import evaluate

    dataset, cfg = run_config["dataset"], run_config["config"]
    load = dict(image_size=cfg["image_size"], channels=cfg["channels"])
    real, _ = load_arrays(dataset, **load)
    floor, floor_split = None, None
    if split and split != "train":
        try:
            floor, _ = load_arrays(dataset, split=split, **load)
            floor_split = split
        except DataError:
            floor = None
    classes = int(gan.num_classes or 0)

    def sample_fn(n, start):
        labels = (np.arange(start, start + n) % classes).astype("int32") if classes else None
        return gan.generate(n, seed=seed * 1_000_003 + start, labels=labels,
                            truncation=truncation)

    kwargs = {"weights": weights} if weights else {}
    result = evaluate(
        sample_fn, real, metrics, extractor, num_samples=num_samples,
        batch_size=batch_size, seed=seed, reference_key=dataset,
        reference_split="train", real_floor=floor, floor_split=floor_split or "train",
        extractor_kwargs=kwargs, max_reference_features=max_reference,
        kid_subset_size=kid_subset_size,
    )
    if classes and extractor == "classifier":
        result["class_accuracy"] = _class_accuracy(gan, weights, classes, num_samples,
                                                   batch_size, seed, truncation)
    result["provenance"]["truncation"] = truncation
    result["provenance"]["floor_split"] = floor_split
    return result


def _class_accuracy(gan, weights, classes, num_samples, batch_size, seed, truncation):
    """Share of generated samples the domain classifier puts in their intended class."""
    import numpy as np

    from ganzoo.metrics import class_accuracy, load_classifier

    model = load_classifier(weights)
    hits = 0
    for start in range(0, num_samples, batch_size):
        n = min(batch_size, num_samples - start)
        labels = (np.arange(start, start + n) % classes).astype("int32")
        images = gan.generate(n, seed=seed * 1_000_003 + start, labels=labels,
                              truncation=truncation)
        hits += class_accuracy(model, images, labels) * n
    return float(hits / num_samples)


SCORES = ("fid", "kid", "kid_std", "is", "is_std", "precision", "recall", "class_accuracy")


@click.command("eval")
@click.option("--run", type=click.Path(file_okay=False), required=True, help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True),
              help="A checkpoint directory or .keras file  [default: the run's final model]")
@click.option("--metrics", "metrics_text", default="fid,kid,is,pr", help="Comma-separated")
@click.option("--extractor", type=click.Choice(EXTRACTORS), default="classifier")
@click.option("--weights", help="Classifier .keras file (ganzoo classifier fit)")
@click.option("--num-samples", type=click.IntRange(min=4), default=10000)
@click.option("--batch-size", type=click.IntRange(min=1), default=250)
@click.option("--seed", type=int, default=0, help="Seed of latents and KID subsets")
@click.option("--truncation", type=float, help="Resample |z| above this")
@click.option("--split", default="test", help="Real split for the real-vs-real floor")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
def eval_command(run, checkpoint, metrics_text, extractor, weights, num_samples, batch_size,
                 seed, truncation, split, as_json):
    """Score a trained run: FID/KID/IS/precision-recall with provenance

    \b
    Examples:
      ganzoo classifier fit --dataset fashion_mnist --out fmnist.keras
      ganzoo eval --run runs/cgan-... --weights fmnist.keras --num-samples 10000
      ganzoo eval --run runs/dcgan-... --extractor inception_v3 --metrics fid,kid --json
    """
    from ganzoo.training import RunDir
    from ganzoo_cli.run_loading import load_run_gan

    metrics = parse_metrics(metrics_text)
    check_weights(extractor, weights)
    run_dir = RunDir.existing(run)
    config = run_dir.read_config()
    gan = load_run_gan(run, checkpoint)
    started = time.time()
    result = evaluate_gan(gan, config, metrics=metrics, extractor=extractor, weights=weights,
                          num_samples=num_samples, batch_size=batch_size, seed=seed,
                          truncation=truncation, split=split)
    from keras import ops

    record = {"event": "eval", "step": int(ops.convert_to_numpy(gan.step_counter)),
              "checkpoint": str(checkpoint) if checkpoint else None,
              **{k: result[k] for k in SCORES if k in result},
              "floor": result["floor"], "provenance": result["provenance"],
              "seconds": round(time.time() - started, 2)}
    run_dir.append_metrics(record)
    if as_json:
        echo_json(record)
        return
    _print_table(record)


def _print_table(record: dict) -> None:
    rows = [{"metric": k, "value": f"{record[k]:.6g}",
             "floor": _fmt(record["floor"].get(k if k != "is" else "is_real"))}
            for k in SCORES if k in record]
    echo_table(rows, ["metric", "value", "floor"])
    p = record["provenance"]
    click.echo(f"extractor {p['extractor']} (weights {str(p['weights_hash'])[:12]}), "
               f"resize {p['resize_method']}, n generated {p['num_generated']}, "
               f"reference {p['reference']} ({p['reference_size']} images), "
               f"floor: {p['floor_method']}, seed {p['seed']}, step {record['step']}")


def _fmt(value) -> str:
    return "" if value is None else f"{value:.6g}"

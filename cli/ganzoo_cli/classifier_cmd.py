"""``ganzoo classifier fit``: train the offline domain classifier for metrics."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ganzoo_cli.errors import CLIError
from ganzoo_cli.output import echo_json


@click.group("classifier")
def classifier_command():
    """The domain classifier behind `ganzoo eval --extractor classifier`"""


def _load_labelled(dataset, split, image_size, limit):
    """``(images, labels)`` of one split, or None when the split does not exist."""
    from ganzoo.data import load_arrays
    from ganzoo.errors import DataError

    try:
        return load_arrays(dataset, image_size=image_size, with_labels=True,
                           split=split, limit=limit)
    except DataError as exc:
        if split != "train" and "split" in str(exc):
            return None
        raise CLIError(f"--dataset {dataset}: {exc}") from None


def _save_atomic(model, out: Path) -> Path:
    from ganzoo.metrics import save_classifier

    tmp = out.with_name(f".tmp-{os.getpid()}-{out.name}")
    try:
        save_classifier(model, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


@classifier_command.command("fit")
@click.option("--dataset", required=True, help="Labelled dataset (name, .npz, folder)")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output .keras file")
@click.option("--epochs", type=click.IntRange(min=1), default=10)
@click.option("--image-size", type=click.IntRange(min=4), help="Square size  [default: the data's]")
@click.option("--batch-size", type=click.IntRange(min=1), default=128)
@click.option("--limit", type=click.IntRange(min=1), help="Use the first N training images")
@click.option("--seed", type=int, default=0)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
def fit_command(dataset, out, epochs, image_size, batch_size, limit, seed, as_json):
    """Train the classifier on the train split; report test accuracy; save .keras

    \b
    Examples:
      ganzoo classifier fit --dataset fashion_mnist --out fmnist_classifier.keras
      ganzoo eval --run runs/cgan-... --extractor classifier --weights fmnist_classifier.keras
    """
    out = Path(out).expanduser()
    if out.suffix != ".keras":
        raise CLIError(f"--out {out}: the classifier file name must end in .keras")
    if not out.parent.is_dir():
        raise CLIError(f"--out {out}: directory {out.parent} does not exist")
    from ganzoo.data import dataset_info
    from ganzoo.metrics import class_accuracy, file_sha256, fit_classifier

    try:
        info = dataset_info(dataset)
    except Exception as exc:  # noqa: BLE001 - any unreadable source is a user error
        raise CLIError(f"--dataset {dataset}: {exc}") from None
    if not info.num_classes:
        raise CLIError(f"--dataset {dataset} has no labels; the classifier needs labelled "
                       "data (class sub-folders, an .npz with labels, a TFDS name)")
    x, y = _load_labelled(dataset, "train", image_size, limit)
    test = _load_labelled(dataset, "test", image_size, None)
    started = time.time()
    model = fit_classifier(x, y, num_classes=info.num_classes, epochs=epochs,
                           batch_size=batch_size, seed=seed, verbose=0 if as_json else 2)
    split, (tx, ty) = ("test", test) if test is not None else ("train", (x, y))
    accuracy = class_accuracy(model, tx, ty)
    _save_atomic(model, out)
    result = {
        "out": str(out), "dataset": dataset, "num_classes": info.num_classes,
        "image_shape": list(x.shape[1:]), "train_size": int(len(x)), "epochs": epochs,
        "accuracy_split": split, "accuracy": accuracy, "eval_size": int(len(tx)),
        "weights_hash": file_sha256(out), "seconds": round(time.time() - started, 1),
    }
    if as_json:
        echo_json(result)
    else:
        note = "" if split == "test" else " (no test split: training accuracy)"
        click.echo(f"{split} accuracy {accuracy:.4f} on {len(tx)} images{note}")
        click.echo(f"saved {out} (sha256 {result['weights_hash'][:12]})")

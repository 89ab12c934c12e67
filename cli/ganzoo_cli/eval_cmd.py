"""``ganzoo eval``: score a trained run with FID/KID/IS/PR and log the result."""

from __future__ import annotations

import time

import click

from ganzoo_cli.errors import CLIError
from ganzoo_cli.output import echo_json, echo_table

EXTRACTORS = ("classifier", "inception_v3", "fid_inception")


def parse_metrics(text: str) -> tuple[str, ...]:
    """``"fid,kid"`` -> ``("fid", "kid")``; unknown names are a one-line error."""
    from ganzoo.metrics import GAN_METRICS as METRICS

    names = tuple(m.strip().lower() for m in text.split(",") if m.strip())
    unknown = [m for m in names if m not in METRICS]
    if unknown or not names:
        raise CLIError(f"unknown metric '{unknown[0] if unknown else text}'; "
                       f"choose from {', '.join(METRICS)}")
    return names


def check_weights(extractor: str, weights: str | None) -> None:
    """The classifier extractor needs a trained .keras file: say how to make one."""
    from pathlib import Path

    if extractor == "fid_inception":  # PATH, "download" or none: it says what is missing
        return
    if extractor == "classifier" and not weights:
        raise CLIError("--extractor classifier needs --weights PATH; train one with "
                       "`ganzoo classifier fit --dataset DATASET --out PATH.keras`")
    if weights and not Path(weights).expanduser().is_file():
        raise CLIError(f"--weights {weights} does not exist; train one with "
                       "`ganzoo classifier fit --dataset DATASET --out PATH.keras`")


def fid_options(extractor: str, resize: str | None, any_weights: bool) -> dict:
    """--resize/--any-weights as fid_inception options (an error elsewhere)."""
    if extractor != "fid_inception":
        if resize or any_weights:
            raise CLIError("--resize and --any-weights apply to --extractor "
                           "fid_inception only")
        return {}
    options = {"resize": resize} if resize else {}
    return {**options, "expected_sha256": None} if any_weights else options


SCORES = ("fid", "kid", "kid_std", "is", "is_std", "precision", "recall", "density", "coverage",
          "intra_fid", "class_accuracy")


@click.command("eval")
@click.option("--run", type=click.Path(file_okay=False), required=True, help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True),
              help="A checkpoint directory or .keras file  [default: the run's final model]")
@click.option("--metrics", "metrics_text", default="fid,kid,is,pr",
              help="Comma-separated: fid, kid, is, pr (precision/recall), dc (density/coverage), "
              "intra_fid (class-conditional models: FID per class and their mean)")
@click.option("--extractor", type=click.Choice(EXTRACTORS), default="classifier")
@click.option("--weights", help="Classifier .keras file (ganzoo classifier fit); for "
              "fid_inception pytorch-fid's .pth, or 'download'")
@click.option("--resize", type=click.Choice(["pil_bicubic", "torch_bilinear"]),
              help="fid_inception resize: clean-fid's PIL bicubic (default) or "
              "pytorch-fid's bilinear")
@click.option("--preprocessing", type=click.Choice(["clean", "legacy"]), hidden=True,
              help="Old name of --resize (clean: pil_bicubic, legacy: torch_bilinear)")
@click.option("--any-weights", is_flag=True,
              help="fid_inception: accept a .pth that is not the standard file")
@click.option("--num-samples", type=click.IntRange(min=4), default=10000)
@click.option("--batch-size", type=click.IntRange(min=1), default=250)
@click.option("--seed", type=int, default=0, help="Seed of latents and KID subsets")
@click.option("--truncation", type=float, help="Resample |z| above this")
@click.option("--ema/--no-ema", "use_ema", default=True, show_default=True,
              help="Score the EMA generator when the model keeps one (--no-ema: the raw one)")
@click.option("--split", default="test", help="Real split for the real-vs-real floor")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
def eval_command(run, checkpoint, metrics_text, extractor, weights, resize, preprocessing,
                 any_weights, num_samples, batch_size, seed, truncation, use_ema, split, as_json):
    """Score a trained run: FID/KID/IS/precision-recall with provenance

    \b
    Examples:
      ganzoo classifier fit --dataset fashion_mnist --out fmnist.keras
      ganzoo eval --run runs/cgan-... --weights fmnist.keras --num-samples 10000
      ganzoo eval --run runs/dcgan-... --extractor inception_v3 --metrics fid,kid --json
      ganzoo eval --run runs/dcgan-... --extractor fid_inception --weights pt_inception-2015-12-05-6726825d.pth --metrics fid
    """
    from ganzoo.metrics import evaluate_gan
    from ganzoo.training import RunDir
    from ganzoo_cli.run_loading import load_run_gan

    metrics = parse_metrics(metrics_text)
    check_weights(extractor, weights)
    if preprocessing:
        resize = resize or {"clean": "pil_bicubic", "legacy": "torch_bilinear"}[preprocessing]
        click.echo(f"note: --preprocessing is deprecated; use --resize {resize}", err=True)
    options = fid_options(extractor, resize, any_weights)
    run_dir = RunDir.existing(run)
    config = run_dir.read_config()
    gan = load_run_gan(run, checkpoint)
    started = time.time()
    result = evaluate_gan(gan, config, metrics=metrics, extractor=extractor, weights=weights,
                          num_samples=num_samples, batch_size=batch_size, seed=seed,
                          truncation=truncation, use_ema=use_ema, split=split,
                          extractor_options=options)
    record = {"event": "eval", "step": gan.step,
              "checkpoint": str(checkpoint) if checkpoint else None,
              **{k: result[k] for k in (*SCORES, "intra_fid_per_class") if k in result},
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
    rows += [{"metric": f"intra_fid[{c}]", "value": f"{v:.6g}", "floor": ""}
             for c, v in record.get("intra_fid_per_class", {}).items()]
    echo_table(rows, ["metric", "value", "floor"])
    p = record["provenance"]
    click.echo(f"extractor {p['extractor']} (weights {str(p['weights_hash'])[:12]}), "
               f"resize {p['resize_method']}, n generated {p['num_generated']}, "
               f"reference {p['reference']} ({p['reference_size']} images), "
               f"floor: {p.get('floor_method', 'none')}, seed {p['seed']}, step {record['step']}, "
               f"{p['generator']} generator, truncation {p['truncation']}")


def _fmt(value) -> str:
    return "" if value is None else f"{value:.6g}"

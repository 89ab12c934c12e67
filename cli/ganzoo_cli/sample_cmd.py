"""``ganzoo sample``."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


@click.command("sample")
@click.option("--run", type=click.Path(file_okay=False), help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True), help="A checkpoint directory or .keras file")
@click.option("--num", type=click.IntRange(min=1), default=64)
@click.option("--seed", type=int, default=0)
@click.option("--class", "class_", type=int, help="Class of every sample (conditional models)")
@click.option("--truncation", type=float, help="Resample |z| above this (truncation trick)")
@click.option("--truncation-sweep", "sweep",
              help="Comma-separated truncation values: a .png with one row per value")
@click.option("--truncation-psi", "psi", type=float,
              help="Pull w toward the mean w by this factor (style-based models: 0 = mean image)")
@click.option("--ema/--no-ema", "use_ema", default=True, show_default=True,
              help="Sample the EMA generator when the model keeps one (--no-ema: the raw one)")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help=".png grid or .npz arrays")
def sample_command(run, checkpoint, num, seed, class_, truncation, sweep, psi, use_ema,
                   out):
    """Generate samples from a trained run

    A conditional model's grid has one row per class unless --class is given.
    With --truncation-sweep, --num samples are split over the rows and every
    row uses the same latents, so columns show one z at each truncation.

    \b
    Examples:
      ganzoo sample --run runs/dcgan-... --num 64 --out grid.png
      ganzoo sample --run runs/cgan-... --num 100 --class 3 --out boots.npz
      ganzoo sample --run runs/biggan-... --truncation-sweep 2,1,0.5,0.25 --out sweep.png
      ganzoo sample --run runs/stylegan2-... --truncation-psi 0.7 --out grid.png
    """
    import math

    import numpy as np

    from ganzoo.image_grid import save_grid
    from ganzoo.pixels import to_uint8
    from ganzoo_cli.run_loading import load_run_gan

    if not out.endswith((".png", ".npz")):
        raise CLIError(f"--out {out}: use a .png (grid) or .npz (arrays) file name")
    values = parse_sweep(sweep, truncation) if sweep else None
    if values and not out.endswith(".png"):
        raise CLIError(f"--out {out}: --truncation-sweep writes a .png grid")
    gan = load_run_gan(run, checkpoint)
    if class_ is not None and not gan.num_classes:
        raise CLIError("--class given but this model is unconditional")
    if class_ is not None and not 0 <= class_ < gan.num_classes:
        raise CLIError(f"--class {class_} is out of range: this model has classes "
                       f"0..{gan.num_classes - 1}")
    if values:
        per_row = math.ceil(num / len(values))
        labels = _labels(gan.num_classes, class_, per_row, cycle=True)
        rows = [gan.generate(per_row, seed=seed, labels=labels, truncation=t, use_ema=use_ema,
                             truncation_psi=psi)
                for t in values]
        save_grid(np.concatenate(rows), out, ncols=per_row)
        click.echo(out)
        return
    labels = _labels(gan.num_classes, class_, num, cycle=False)
    images = gan.generate(num, seed=seed, labels=labels, truncation=truncation,
                          use_ema=use_ema, truncation_psi=psi)
    if out.endswith(".png"):
        # A conditional grid without --class: one row per class.
        ncols = math.ceil(num / gan.num_classes) if labels is not None and class_ is None \
            else None
        save_grid(images, out, ncols=ncols)
    else:
        arrays = {"images": to_uint8(images)}
        if labels is not None:
            arrays["labels"] = labels
        np.savez(out, **arrays)
    click.echo(out)


def parse_sweep(text: str, truncation: float | None) -> list[float]:
    """``"2,1,0.5"`` -> ``[2.0, 1.0, 0.5]``; each value must be positive."""
    if truncation is not None:
        raise CLIError("give either --truncation or --truncation-sweep, not both")
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise CLIError(f"--truncation-sweep {text}: expected comma-separated numbers, "
                       "e.g. 2.0,1.0,0.5,0.25") from None
    if not values or min(values) <= 0:
        raise CLIError(f"--truncation-sweep {text}: every value must be a number > 0")
    return values


def _labels(num_classes: int, class_: int | None, num: int, cycle: bool):
    """Labels for a conditional model: all ``class_``, classes cycling along a
    row (``cycle``), or classes in blocks of ``ceil(num / num_classes)`` (one
    grid row each)."""
    import math

    import numpy as np

    if not num_classes:
        return None
    if class_ is not None:
        return np.full(num, class_, "int32")
    if cycle:
        return np.arange(num, dtype="int32") % num_classes
    return (np.arange(num) // math.ceil(num / num_classes)).astype("int32")

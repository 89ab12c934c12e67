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
@click.option("--out", required=True, type=click.Path(dir_okay=False), help=".png grid or .npz arrays")
def sample_command(run, checkpoint, num, seed, class_, truncation, out):
    """Generate samples from a trained run

    \b
    Examples:
      ganzoo sample --run runs/dcgan-... --num 64 --out grid.png
      ganzoo sample --run runs/cgan-... --num 100 --class 3 --out boots.npz
    """
    import numpy as np

    from ganzoo.images import save_grid, to_uint8
    from ganzoo_cli.run_loading import load_run_gan

    if not out.endswith((".png", ".npz")):
        raise CLIError(f"--out {out}: use a .png (grid) or .npz (arrays) file name")
    gan = load_run_gan(run, checkpoint)
    labels = None
    if gan.num_classes:
        labels = np.full(num, class_, "int32") if class_ is not None \
            else np.arange(num, dtype="int32") % gan.num_classes
    elif class_ is not None:
        raise CLIError("--class given but this model is unconditional")
    images = gan.generate(num, seed=seed, labels=labels, truncation=truncation)
    if out.endswith(".png"):
        save_grid(images, out)
    else:
        arrays = {"images": to_uint8(images)}
        if labels is not None:
            arrays["labels"] = labels
        np.savez(out, **arrays)
    click.echo(out)

"""``ganzoo mix``: a style-mixing grid (Karras, Laine & Aila 2019, Figure 3)."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError

# The coarse styles: those of the 4x4 and 8x8 layers (two w's per resolution),
# as in the StyleGAN paper's Figure 3 ("coarse styles from source B").
COARSE_WS = 4


@click.command("mix")
@click.option("--run", type=click.Path(file_okay=False), help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True), help="A checkpoint directory or .keras file")
@click.option("--rows", required=True, help="Comma-separated seeds: the coarse styles, one row each")
@click.option("--cols", required=True, help="Comma-separated seeds: the fine styles, one column each")
@click.option("--crossover", type=click.IntRange(min=1),
              help=f"w's taken from the row seed [default: {COARSE_WS}, the 4x4 and 8x8 "
              "layers; fewer if the model has fewer]")
@click.option("--truncation-psi", "psi", type=float, help="Truncation in W of every image")
@click.option("--class", "class_", type=int,
              help="Class of every image (conditional models) [default: 0]")
@click.option("--ema/--no-ema", "use_ema", default=True, show_default=True,
              help="Use the EMA generator when the model keeps one")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG grid")
def mix_command(run, checkpoint, rows, cols, crossover, psi, class_, use_ema, out):
    """A style-mixing grid of a style-based model (stylegan, stylegan2)

    The top row shows the column seeds' images, the left column the row
    seeds'; the image in row i, column j takes its coarse styles (the first
    --crossover w's: pose, shape) from row seed i and the rest (fine
    styles: colour, texture) from column seed j.

    \b
    Example:
      ganzoo mix --run runs/stylegan2-... --rows 1,2,3 --cols 4,5,6,7 --out grid.png
    """

    from ganzoo.image_grid import save_grid
    from ganzoo_cli.run_loading import load_run_gan

    if not out.endswith(".png"):
        raise CLIError(f"--out {out}: use a .png file name (the grid is one picture)")
    row_seeds, col_seeds = parse_seeds(rows, "--rows"), parse_seeds(cols, "--cols")
    gan = load_run_gan(run, checkpoint)
    if not gan.has_w_space:
        raise CLIError(f"ganzoo mix needs a style-based model (stylegan, stylegan2); "
                       f"this one is a {type(gan).__name__}")
    num_ws = gan.generator.num_ws
    if crossover is None:
        crossover = min(COARSE_WS, num_ws - 1)
    if crossover >= num_ws:
        raise CLIError(f"--crossover {crossover}: this model has {num_ws} w's; "
                       f"use 1..{num_ws - 1}")
    if class_ is not None and not 0 <= class_ < gan.num_classes:
        raise CLIError(f"--class {class_}: " + (
            f"this model has classes 0..{gan.num_classes - 1}" if gan.num_classes
            else "this model is unconditional"))
    labels = (class_ or 0) if gan.num_classes else None
    grid = mixing_grid(gan, row_seeds, col_seeds, crossover, psi, use_ema, labels)
    save_grid(grid, out, ncols=len(col_seeds) + 1)
    click.echo(out)


def mixing_grid(gan, row_seeds, col_seeds, crossover, psi, use_ema, labels=None):
    """(rows + 1) * (cols + 1) images in [-1, 1], row-major: a blank corner,
    the column sources, then per row its source and its mixes (all of class
    ``labels`` when the model is conditional)."""
    import numpy as np

    def latents(seeds):
        return np.concatenate([gan.latents(1, seed=s) for s in seeds])

    row_z, col_z = latents(row_seeds), latents(col_seeds)
    plain = gan.generate_from_latents(np.concatenate([row_z, col_z]), labels, use_ema=use_ema,
                                      truncation_psi=psi)
    row_images, col_images = plain[: len(row_seeds)], plain[len(row_seeds):]
    coarse = np.repeat(row_z, len(col_seeds), axis=0)
    fine = np.tile(col_z, (len(row_seeds), 1))
    extra = {"labels": labels} if labels is not None else {}
    mixed = gan.style_mix(coarse, fine, crossover, use_ema=use_ema, truncation_psi=psi, **extra)
    blank = np.ones_like(plain[:1])  # white corner
    cells = [blank, col_images]
    for i, image in enumerate(row_images):
        cells += [image[None], mixed[i * len(col_seeds):(i + 1) * len(col_seeds)]]
    return np.concatenate(cells)


def parse_seeds(text: str, option: str) -> list[int]:
    """``"1,2,3"`` -> ``[1, 2, 3]``."""
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise CLIError(f"{option} {text}: give comma-separated integer seeds, e.g. 1,2,3") \
            from None
    if not seeds:
        raise CLIError(f"{option} {text}: give at least one seed, e.g. 1,2,3")
    return seeds

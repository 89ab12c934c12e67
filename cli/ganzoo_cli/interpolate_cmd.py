"""``ganzoo interpolate``."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


@click.command("interpolate")
@click.option("--run", type=click.Path(file_okay=False), help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True), help="A checkpoint directory or .keras file")
@click.option("--seeds", required=True, help="Two seeds A,B: the end points")
@click.option("--steps", type=click.IntRange(min=2), default=8)
@click.option("--spherical", is_flag=True, help="Spherical (slerp) instead of linear")
@click.option("--class", "class_", type=int, help="Class (conditional models)")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG strip")
def interpolate_command(run, checkpoint, seeds, steps, spherical, class_, out):
    """Walk the latent space between two seeds

    \b
    Example:
      ganzoo interpolate --run runs/dcgan-... --seeds 1,2 --steps 10 --spherical --out strip.png
    """
    from ganzoo.image_grid import save_grid
    from ganzoo.latent import interpolate, latent_for_seed
    from ganzoo_cli.run_loading import load_run_gan

    if not out.endswith(".png"):
        raise CLIError(f"--out {out!r}: use a .png file name (the strip is one picture)")
    try:
        a, b = (int(s) for s in seeds.split(","))
    except ValueError:
        raise CLIError(f"--seeds {seeds!r}: give two integers, e.g. --seeds 1,2") from None
    gan = load_run_gan(run, checkpoint)
    z = interpolate(latent_for_seed(gan, a), latent_for_seed(gan, b), steps, spherical)
    labels = None
    if gan.num_classes:
        labels = [class_ or 0] * steps
    images = gan.generate_from_latents(z, labels)
    save_grid(images, out, ncols=steps)
    click.echo(out)

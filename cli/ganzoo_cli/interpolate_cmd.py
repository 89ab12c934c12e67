"""``ganzoo interpolate``."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


@click.command("interpolate")
@click.option("--run", type=click.Path(file_okay=False), help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True), help="A checkpoint directory or .keras file")
@click.option("--seeds", required=True, help="Two seeds A,B: the end points")
@click.option("--steps", type=click.IntRange(min=2), default=8)
@click.option("--space", type=click.Choice(["z", "w"]), default="z", show_default=True,
              help="Interpolate the latents z, or the mapped w's (style-based models)")
@click.option("--spherical", is_flag=True, help="Spherical (slerp) instead of linear (z only)")
@click.option("--truncation-psi", "psi", type=float,
              help="Truncation in W of every image (style-based models)")
@click.option("--class", "class_", type=int, help="Class (conditional models)")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG strip")
def interpolate_command(run, checkpoint, seeds, steps, space, spherical, psi, class_, out):
    """Walk the latent space between two seeds

    With --space w (stylegan, stylegan2) the strip walks the straight line
    between the two seeds' mapped w's (truncated by --truncation-psi), as
    StyleGAN's perceptual path length does; its ends are the seeds' images.

    \b
    Examples:
      ganzoo interpolate --run runs/dcgan-... --seeds 1,2 --steps 10 --spherical --out strip.png
      ganzoo interpolate --run runs/stylegan2-... --seeds 1,2 --space w --truncation-psi 0.7 --out w.png
    """
    from ganzoo.image_grid import save_grid
    from ganzoo.latent import interpolate, interpolate_w, latent_for_seed
    from ganzoo_cli.run_loading import load_run_gan

    if not out.endswith(".png"):
        raise CLIError(f"--out {out!r}: use a .png file name (the strip is one picture)")
    try:
        a, b = (int(s) for s in seeds.split(","))
    except ValueError:
        raise CLIError(f"--seeds {seeds!r}: give two integers, e.g. --seeds 1,2") from None
    if space == "w" and spherical:
        raise CLIError("--spherical walks a sphere in z; W is interpolated linearly: "
                       "drop --spherical or use --space z")
    gan = load_run_gan(run, checkpoint)
    if space == "w":
        if not gan.has_w_space:
            raise CLIError(f"--space w: {architecture_name(run, gan)} has no mapping network "
                           "(no W space); use --space z, or a style-based model (stylegan, "
                           "stylegan2)")
        images = interpolate_w(gan, a, b, steps, truncation_psi=psi, label=class_)
    else:
        z = interpolate(latent_for_seed(gan, a), latent_for_seed(gan, b), steps, spherical)
        labels = None
        if gan.num_classes:
            labels = [class_ or 0] * steps
        images = gan.generate_from_latents(z, labels, truncation_psi=psi)
    save_grid(images, out, ncols=steps)
    click.echo(out)


def architecture_name(run, gan) -> str:
    """The run's architecture (its config), else the GAN's class name."""
    if run is not None:
        from ganzoo.training import RunDir

        return RunDir.existing(run).read_config()["arch"]
    return type(gan).__name__

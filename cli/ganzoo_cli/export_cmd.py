"""``ganzoo export``: a run's generator as a standalone model for use outside ganzoo."""

from __future__ import annotations

import os

import click

from ganzoo_cli.errors import CLIError

FORMATS = ("keras", "savedmodel")


@click.command("export")
@click.option("--run", type=click.Path(file_okay=False), help="Run directory")
@click.option("--checkpoint", type=click.Path(exists=True), help="A checkpoint directory or .keras file")
@click.option("--ema/--no-ema", "use_ema", default=True, show_default=True,
              help="Export the EMA generator when the model keeps one (--no-ema: the raw one)")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="keras",
              help="keras: one .keras file; savedmodel: a TensorFlow SavedModel directory "
                   "(TensorFlow backend only)")
@click.option("--out", required=True, type=click.Path(),
              help="FILE.keras (--format keras) or a new directory (--format savedmodel)")
def export_command(run, checkpoint, use_ema, fmt, out):
    """Export a trained generator for use without ganzoo

    The model maps z, float32 of shape (n, latent_dim) (plus int32 class labels
    of shape (n,) for conditional models), to images of shape (n, H, W, C) in
    [-1, 1]. A generator of standard Keras layers reloads with
    keras.saving.load_model alone; one with a plugin's own layers needs that
    plugin installed (the command says which).

    \b
    Examples:
      ganzoo export --run runs/dcgan-... --out dcgan.keras
      ganzoo export --run runs/dcgan-... --format savedmodel --out dcgan_savedmodel
    """
    from ganzoo_cli.export_model import custom_classes, describe_io, generator_to_export

    _check_out(fmt, out)
    if fmt == "savedmodel":
        import keras

        if keras.backend.backend() != "tensorflow":
            raise CLIError(f"--format savedmodel needs the TensorFlow backend (running on "
                           f"{keras.backend.backend()}); use ganzoo --backend tensorflow export "
                           f"..., or --format keras")
    from ganzoo_cli.run_loading import load_run_gan

    gan = load_run_gan(run, checkpoint)
    model, which = generator_to_export(gan, use_ema)
    if fmt == "keras":
        model.save(out)
    else:
        model.export(out, format="tf_saved_model", verbose=False)
    click.echo(out)
    click.echo(f"generator: {which}")
    for line in describe_io(gan, model, fmt):
        click.echo(line)
    custom = custom_classes(model)
    if custom and fmt == "keras":
        click.echo("reloads where the modules of its custom classes can be imported, e.g. "
                   "with ganzoo and its plugins installed: ganzoo.load(path) "
                   f"(custom classes: {', '.join(custom)})")
    elif custom:
        click.echo(f"custom classes traced into the SavedModel: {', '.join(custom)}")
    elif fmt == "keras":
        click.echo("reloads with Keras alone: keras.saving.load_model(path)")


def _check_out(fmt: str, out: str) -> None:
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"--out {out}: directory {parent} does not exist; create it first")
    if fmt == "keras" and not out.endswith(".keras"):
        raise CLIError(f"--out {out}: --format keras writes a .keras file; name it FILE.keras")
    if fmt == "savedmodel":
        if out.endswith(".keras"):
            raise CLIError(f"--out {out}: --format savedmodel writes a directory; "
                           f"give a directory name")
        if os.path.exists(out):
            raise CLIError(f"--out {out} exists; give a new directory for the SavedModel")

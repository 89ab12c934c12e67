"""``ganzoo import``: another code base's network file as a ganzoo ``.keras`` model."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


class _Formats(click.ParamType):
    """A format name, checked against the registered importers when the command runs."""

    name = "FORMAT"

    def convert(self, value, param, ctx):
        return value


@click.command("import")
@click.argument("format", type=_Formats(), required=False)
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--out", type=click.Path(dir_okay=False),
              help="The ganzoo model to write (MODEL.keras)")
@click.option("--fp32", "force_fp32", is_flag=True, default=False,
              help="Build every layer in float32 (ignore the file's fp16 layers)")
@click.option("--discriminator", type=click.Path(dir_okay=False), default=None,
              help="The discriminator's file, for formats that keep it apart "
                   "(pytorch-examples-dcgan: netD_epoch_N.pth; without it D is new)")
@click.option("--list", "list_formats", is_flag=True, default=False,
              help="List the formats the installed plugins import, and exit")
def import_command(format, file, out, force_fp32, discriminator, list_formats):
    """Import FILE (of FORMAT) as a ganzoo model

    The file is read without running anything from it (no PyTorch or
    TensorFlow needed). The model takes `ganzoo sample / interpolate / mix /
    eval --checkpoint MODEL.keras`. Formats: `ganzoo import --list`.

    \b
    Examples:
      ganzoo import stylegan2-ada-pytorch network-snapshot-025000.pkl --out ffhq.keras
      ganzoo sample --checkpoint ffhq.keras --num 16 --truncation-psi 0.7 --out grid.png
      ganzoo import pytorch-examples-dcgan netG_epoch_24.pth \\
          --discriminator netD_epoch_24.pth --out dcgan.keras
    """
    from ganzoo.importers import import_file, list_importers

    if list_formats:
        for name in list_importers():
            click.echo(name)
        return
    if format is None or file is None or out is None:
        raise CLIError("give FORMAT FILE --out MODEL.keras (formats: ganzoo import --list)")
    options = {"force_fp32": True} if force_fp32 else {}
    if discriminator is not None:
        options["discriminator"] = discriminator
    gan = import_file(format, file, out, **options)
    click.echo(out)
    # A functional generator (dcgan) has no image_size; its output shape tells it.
    size = getattr(gan.generator, "image_size", None) or gan.generator.output_shape[1]
    click.echo(f"{format}: {type(gan).__name__}, {size}x{size}, latent_dim {gan.latent_dim}, "
               f"EMA generator {'kept' if gan.ema_generator is not None else 'absent'}")

"""``ganzoo info ARCH``."""

from __future__ import annotations

import dataclasses

import click

from ganzoo_cli.output import echo_json


@click.command("info")
@click.argument("arch")
@click.option("--json", "as_json", is_flag=True, help="Output JSON")
def info_command(arch, as_json):
    """Show an architecture's paper, default config and presets"""
    from ganzoo.config import config_to_dict
    from ganzoo.plugins import registries

    entry = registries().architectures.entry(arch)
    defaults = config_to_dict(entry.obj.make_config())
    types = {f.name: getattr(f.type, "__name__", str(f.type))
             for f in dataclasses.fields(entry.obj.config_class)}
    presets = list(getattr(entry.obj, "presets", ()))
    if as_json:
        echo_json({"name": entry.name, "summary": entry.obj.summary,
                   "paper": entry.obj.paper, "plugin": entry.plugin, "config": defaults,
                   "presets": [dataclasses.asdict(p) for p in presets]})
        return
    click.echo(f"{entry.name}: {entry.obj.summary}")
    click.echo(f"paper:  {entry.obj.paper}")
    click.echo(f"plugin: {entry.plugin}")
    click.echo("config (override with --set key=value):")
    width = max(len(k) for k in defaults)
    for key, value in defaults.items():
        click.echo(f"  {key.ljust(width)}  {value!r}  ({types[key]})")
    if presets:
        from ganzoo_cli.presets import describe

        click.echo("presets (ganzoo train --preset NAME):")
        for preset in presets:
            click.echo(f"  {preset.name}: {preset.description}")
            click.echo(f"    {describe(preset)}")

"""``ganzoo list`` (architectures) and ``ganzoo list --presets``."""

from __future__ import annotations

import dataclasses

import click

from ganzoo_cli.output import echo_json, echo_table


@click.command("list")
@click.option("--presets", "show_presets", is_flag=True,
              help="List named presets (ganzoo train --preset NAME) instead")
@click.option("--json", "as_json", is_flag=True, help="Output JSON")
def list_command(show_presets, as_json):
    """List the architectures (or presets) every plugin provides"""
    if show_presets:
        _list_presets(as_json)
        return
    from ganzoo.plugins import registries

    rows = [
        {"name": e.name, "summary": e.obj.summary, "paper": e.obj.paper, "plugin": e.plugin}
        for e in registries().architectures.entries()
    ]
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["name", "summary", "plugin"])


def _list_presets(as_json: bool) -> None:
    import ganzoo

    rows = [{"arch": arch, **dataclasses.asdict(p)} for arch, p in ganzoo.list_presets()]
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["name", "arch", "description"])

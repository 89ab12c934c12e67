"""``ganzoo list``."""

from __future__ import annotations

import click

from ganzoo_cli.output import echo_json, echo_table


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Output JSON")
def list_command(as_json):
    """List the architectures every plugin provides"""
    from ganzoo.plugins import registries

    rows = [
        {"name": e.name, "summary": e.obj.summary, "paper": e.obj.paper, "plugin": e.plugin}
        for e in registries().architectures.entries()
    ]
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["name", "summary", "plugin"])

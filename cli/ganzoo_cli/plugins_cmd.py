"""``ganzoo plugins``."""

from __future__ import annotations

import dataclasses

import click

from ganzoo_cli.output import echo_json


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Output JSON")
def plugins_command(as_json):
    """List loaded plugins, their hooks and load errors"""
    from ganzoo.plugins import get_plugin_manager

    manager = get_plugin_manager()
    # The architecture hooks run (their errors are recorded) without a backend;
    # the other registries' hooks, which may import one, run when a command
    # uses them.
    _ = manager.registries.architectures
    infos = [dataclasses.asdict(i) for i in manager.info.values()]
    if as_json:
        echo_json(infos)
        return
    for info in infos:
        version = f" {info['version']}" if info["version"] else ""
        click.echo(f"{info['name']}{version} ({info['module']})")
        if info["hooks"]:
            click.echo(f"  hooks: {', '.join(info['hooks'])}")
        if info["error"]:
            click.echo(f"  error: {info['error']}")

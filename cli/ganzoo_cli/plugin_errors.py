"""Plugin load errors on stderr, one line per broken plugin, whatever the warnings filter.

The plugin manager also issues each error as a ``PluginWarning``; the CLI
ignores that warning (so nothing is said twice) and prints the errors it
keeps as data instead, because ``PYTHONWARNINGS=ignore`` would hide the
warning.
"""

from __future__ import annotations

import click

SHOWN_KEY = "ganzoo_plugin_errors_shown"


def report(ctx: click.Context, errors: dict[str, str]) -> None:
    """Print each plugin's error once per command line."""
    shown = ctx.meta.setdefault(SHOWN_KEY, set())
    for name, error in sorted(errors.items()):
        if name in shown:
            continue
        shown.add(name)
        click.echo(
            f"Warning: ganzoo plugin '{name}' failed to load: {error} "
            f"(skipped; GANZOO_STRICT_PLUGINS=1 makes this an error)",
            err=True,
        )


def import_errors(manager) -> dict[str, str]:
    """Errors recorded so far, without running the registry hooks."""
    return {name: info.error for name, info in manager.info.items() if info.error}

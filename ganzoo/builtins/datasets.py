"""Core plugin ``ganzoo.data``: the built-in dataset sources."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_datasets(register):
    from ganzoo.data.resolve import builtin_datasets

    for source in builtin_datasets().values():
        register(source)

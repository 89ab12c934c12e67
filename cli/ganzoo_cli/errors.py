"""How the CLI reports errors: one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import click


class CLIError(click.ClickException):
    exit_code = 2

"""The root ``ganzoo`` group; each command lives in its own module."""

from __future__ import annotations

import os
import sys
import warnings

import click

from ganzoo_cli import plugin_errors
from ganzoo_cli.backend import BACKENDS, apply_backend
from ganzoo_cli.errors import CLIError
from ganzoo_cli.quiet import quiet_backend_logs

# name -> "module:attribute", imported only when the command runs, so that
# --backend is applied before Keras is imported.
BUILTIN_COMMANDS = {
    "list": "ganzoo_cli.list_cmd:list_command",
    "info": "ganzoo_cli.info_cmd:info_command",
    "plugins": "ganzoo_cli.plugins_cmd:plugins_command",
    "train": "ganzoo_cli.train_cmd:train_command",
    "sample": "ganzoo_cli.sample_cmd:sample_command",
    "interpolate": "ganzoo_cli.interpolate_cmd:interpolate_command",
    "mix": "ganzoo_cli.mix_cmd:mix_command",
    "export": "ganzoo_cli.export_cmd:export_command",
    "eval": "ganzoo_cli.eval_cmd:eval_command",
    "classifier": "ganzoo_cli.classifier_cmd:classifier_command",
    "import": "ganzoo_cli.import_cmd:import_command",
}
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "show_default": True}


def _load(spec: str) -> click.Command:
    import importlib

    module, attr = spec.split(":")
    return getattr(importlib.import_module(module), attr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"Warning: {message}", err=True)


class GanzooGroup(click.Group):
    """Loads built-in commands lazily and plugin commands after them."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        if "plugin_commands" not in ctx.meta:
            group = click.Group()
            from ganzoo.plugins import get_plugin_manager

            manager = get_plugin_manager()
            manager.add_commands(group)
            plugin_errors.report(ctx, plugin_errors.import_errors(manager))
            ctx.meta["plugin_commands"] = {
                n: c for n, c in group.commands.items() if n not in BUILTIN_COMMANDS
            }
        return ctx.meta["plugin_commands"]

    def parse_args(self, ctx, args):
        # Before any option callback: --help may import plugins (and TensorFlow)
        # while listing plugin commands, ahead of a --verbose option's callback.
        quiet_backend_logs(verbose="--verbose" in args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx):
        names = set(BUILTIN_COMMANDS) | set(self.commands)
        if not ctx.resilient_parsing:
            names |= set(self._plugin_commands(ctx))
        return sorted(names)

    def get_command(self, ctx, name):
        if name in BUILTIN_COMMANDS:
            return _load(BUILTIN_COMMANDS[name])
        if name in self.commands:
            return self.commands[name]
        return self._plugin_commands(ctx).get(name)

    def invoke(self, ctx):
        from ganzoo.errors import GanzooError

        skip_report = False
        try:
            return super().invoke(ctx)
        except GanzooError as exc:
            raise CLIError(str(exc)) from None
        except click.ClickException:
            skip_report = True  # the user's arguments, not a plugin, are at fault
            raise
        except click.exceptions.Exit as exc:
            skip_report = exc.exit_code == 0  # a subcommand's --help: nothing ran
            raise
        finally:
            # Said after the command, also when it failed: a broken plugin is
            # often why an architecture is unknown. Only the hooks the command
            # ran count, so that reporting never imports a backend by itself.
            if not skip_report:
                from ganzoo.plugins import get_plugin_manager

                errors = get_plugin_manager().load_errors(all_hooks=False)
                plugin_errors.report(ctx, errors)


def _backend_callback(ctx, param, value):
    apply_backend(value)
    return value


@click.group(cls=GanzooGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="ganzoo", prog_name="ganzoo")
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    envvar="GANZOO_BACKEND",
    is_eager=True,
    expose_value=False,
    callback=_backend_callback,
    help="Keras backend (default: $KERAS_BACKEND, else tensorflow)",
)
@click.option(
    "--verbose",
    is_flag=True,
    expose_value=False,
    help="Show TensorFlow's start-up log lines (filtered by default)",
)
def cli():
    """ganzoo: a plugin-based GAN model zoo for Keras 3.

    \b
    Examples:
      ganzoo list                              architectures from every plugin
      ganzoo list --presets                    named, documented runs
      ganzoo info dcgan                        a paper's defaults and presets
      ganzoo train --preset dcgan-fashion-mnist-32
      ganzoo train --arch dcgan --dataset fashion_mnist --steps 2000
      ganzoo --backend jax train --arch progan --dataset ./faces --image-size 128
      ganzoo export --run runs/dcgan-... --out dcgan.keras
      ganzoo plugins --json                    what loaded, and what failed
    """
    from ganzoo.plugins import PluginWarning

    warnings.showwarning = _show_warning
    # Plugin errors are printed by the CLI itself, whatever the warnings filter.
    warnings.filterwarnings("ignore", category=PluginWarning)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: no traceback reaches the user."""
    try:
        # Without standalone mode Click returns an Exit's code instead of raising.
        code = cli.main(args=argv, prog_name="ganzoo", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except Exception as exc:
        from ganzoo.errors import GanzooError

        if isinstance(exc, GanzooError):
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        if os.environ.get("GANZOO_DEBUG"):
            raise
        click.echo(
            f"Error: {type(exc).__name__}: {exc} (set GANZOO_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()

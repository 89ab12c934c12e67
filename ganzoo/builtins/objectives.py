"""Core plugin ``ganzoo``: the built-in adversarial losses and regularizers."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_losses(register):
    from ganzoo.losses import BUILTIN_LOSSES

    for loss in BUILTIN_LOSSES:
        register(loss)


@hookimpl
def register_regularizers(register):
    from ganzoo.regularizers import BUILTIN_REGULARIZERS

    for cls in BUILTIN_REGULARIZERS:
        register(cls)

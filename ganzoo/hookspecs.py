"""Hook specifications: what a ganzoo plugin may provide.

A plugin is a module listed under the ``ganzoo`` entry-point group that
implements any of these hooks with ``@ganzoo.hookimpl``. Each ``register_*``
hook receives a ``register(name, obj)`` callable; built-in plugins use the
same hooks.
"""

from __future__ import annotations

from typing import Any, Protocol

import pluggy

hookspec = pluggy.HookspecMarker("ganzoo")
hookimpl = pluggy.HookimplMarker("ganzoo")


class Register(Protocol):
    """``register(name, obj)`` adds ``obj`` to one registry under ``name``."""

    def __call__(self, name: str, obj: Any) -> Any: ...


@hookspec
def register_architectures(register: Register) -> None:
    """Register architectures: ``register(name, ganzoo.Architecture(...))``."""


@hookspec
def register_generators(register: Register) -> None:
    """Register generator builders: ``register(name, fn(config) -> keras.Model)``."""


@hookspec
def register_discriminators(register: Register) -> None:
    """Register discriminator builders: ``register(name, fn(config) -> keras.Model)``."""


@hookspec
def register_losses(register: Register) -> None:
    """Register adversarial losses: ``register(name, ganzoo.losses.AdversarialLoss)``."""


@hookspec
def register_regularizers(register: Register) -> None:
    """Register regularizer classes: ``register(name, RegularizerSubclass)``."""


@hookspec
def register_datasets(register: Register) -> None:
    """Register datasets: ``register(name, ganzoo.data.DatasetSource)`` (or a no-argument factory)."""


@hookspec
def register_feature_extractors(register: Register) -> None:
    """Register metric feature extractors: ``register(name, fn(**kwargs) -> extractor)``."""


@hookspec
def register_augmentations(register: Register) -> None:
    """Register augmentation pipelines: ``register(name, ganzoo.augment.AugmentPipeline subclass)``."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add Click commands to the ``ganzoo`` group; called after the built-ins."""

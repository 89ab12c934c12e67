"""Hook specifications: what a ganzoo plugin may provide.

A plugin is a module listed under the ``ganzoo`` entry-point group (a
package's ``plugin.py``) that implements any of these hooks as plain
functions marked ``@hookimpl`` (``ganzoo.hookimpl``). Each ``register_*``
hook receives a ``register(obj)`` callable; ``obj`` carries its own name
(``obj.name``). The core's own plugins use the same hooks.
docs/writing-a-plugin.md describes each registered interface.

Networks are not registered (there is no hook for them): a plugin's
architecture builds its own in ``build(config)``, and users who want to pair
other networks do so in Python with
``ganzoo.GAN(generator, discriminator, latent_dim)``.
"""

from __future__ import annotations

from typing import Any, Protocol

import pluggy

hookspec = pluggy.HookspecMarker("ganzoo")
hookimpl = pluggy.HookimplMarker("ganzoo")


class Register(Protocol):
    """``register(obj)`` adds ``obj`` to one registry under ``obj.name``."""

    def __call__(self, obj: Any) -> Any: ...


@hookspec
def register_architectures(register: Register) -> None:
    """Register architectures: ``register(ganzoo.Architecture(name, summary, paper,
    config_class, build, ...))``."""


@hookspec
def register_losses(register: Register) -> None:
    """Register adversarial losses: ``register(AdversarialLoss instance)``."""


@hookspec
def register_regularizers(register: Register) -> None:
    """Register regularizer classes: ``register(RegularizerSubclass)`` (with a ``name``).

    A registered class saves and loads inside ``.keras`` files through the
    registry; it needs no ``keras.saving.register_keras_serializable``.
    """


@hookspec
def register_conditionings(register: Register) -> None:
    """Register conditionings of D: ``register(Conditioning instance)`` (a frozen
    dataclass of ``ganzoo.conditioning.head.Conditioning`` with a ``name``).

    A backbone builds D's head from the one its ``d_conditioning`` names, and
    the train step adds its loss terms; the head saves inside ``.keras`` files
    by the conditioning's name and options, with no Keras decoration.
    """


@hookspec
def register_datasets(register: Register) -> None:
    """Register datasets: ``register(source)``, a ``ganzoo.data.DatasetSource`` with a ``name``
    (``ArraySource(load_fn, name="my_faces")`` for data that fits in memory)."""


@hookspec
def register_feature_extractors(register: Register) -> None:
    """Register metric feature extractors: a factory with a ``name``.

    ``register(ganzoo.registry.Named("my_net", factory))`` names a plain
    ``factory(**kwargs) -> extractor``.
    """


@hookspec
def register_augmentations(register: Register) -> None:
    """Register augmentation pipelines: ``register(Named(spec_name, AugmentPipeline subclass))``."""


@hookspec
def register_importers(register: Register) -> None:
    """Register file importers: ``register(ganzoo.importers.Importer(name, description, load))``."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add Click commands to the ``ganzoo`` group; called after the built-ins."""

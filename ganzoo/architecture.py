"""What a plugin registers to describe an architecture, and its named presets.

Nothing here imports a backend: ``ganzoo list`` and ``ganzoo info`` read
architectures and presets without Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ganzoo.config import resolve_config


@dataclass(frozen=True)
class TrainingPhase:
    """One stage of a training schedule (ProGAN grows through several).

    The trainer runs phases in order: it calls ``enter(gan)``, builds the data
    pipeline at ``image_size`` with ``batch_size``, and trains for ``steps``
    generator steps. Architectures with one phase need not define any.
    """

    name: str
    steps: int
    image_size: int | None = None  # None: the config's image_size
    batch_size: int | None = None  # None: the config's batch_size
    enter: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Preset:
    """A named, documented configuration of one architecture (as keras-hub's presets).

    ``config`` overrides the architecture's config fields; ``train`` holds the
    training settings of the documented run (``dataset``, ``batch_size``,
    ``steps`` ...) that ``ganzoo train --preset`` uses.
    """

    name: str
    description: str
    config: dict[str, Any] = field(default_factory=dict)
    train: dict[str, Any] = field(default_factory=dict)


def preset(name: str, description: str, *, dataset: str, batch_size: int,
           steps: int | None = None, **config: Any) -> Preset:
    """A :class:`Preset` from keywords: ``dataset``, ``batch_size`` and ``steps``
    are the documented run's training settings, the rest override the config."""
    train = {"dataset": dataset, "batch_size": batch_size}
    if steps is not None:
        train["steps"] = steps
    return Preset(name, description, config, train)


@dataclass(frozen=True)
class Architecture:
    """A named GAN recipe: a config with the paper's defaults and a builder.

    ``build(config)`` returns a compiled :class:`ganzoo.GAN`, ready for ``fit``;
    it keeps every training default in the GAN's ``compile_defaults`` so that
    ``gan.compile()`` with arguments omitted restores them.
    ``phases(config, total_steps)`` optionally splits training into stages.
    ``presets`` are named configurations (``ganzoo.build(preset=...)``).
    """

    name: str
    summary: str
    paper: str
    config_class: type  # a dataclass; image architectures subclass GANConfig
    build: Callable[[Any], Any]
    phases: Callable[[Any, int], list[TrainingPhase]] | None = None
    presets: tuple[Preset, ...] = ()

    def make_config(self, **overrides: Any) -> Any:
        """The paper's defaults with ``overrides`` applied and validated."""
        return resolve_config(self.config_class, overrides)

    def training_phases(self, config: Any, total_steps: int) -> list[TrainingPhase]:
        if self.phases is None:
            return [TrainingPhase("train", total_steps)]
        return list(self.phases(config, total_steps))


# -- helpers for an architecture's build function -------------------------------
def optimizer_config(class_name: str, **config: Any) -> dict[str, Any]:
    """A Keras optimizer as a config (``compile_defaults`` keeps configs, not instances).

    A config builds a fresh optimizer on every ``compile()``, so a later
    ``gan.compile()`` with arguments omitted gets the paper's optimizers back.
    """
    return {"class_name": class_name, "config": dict(config)}


def compiled_gan(generator: Any, discriminator: Any, config: Any,
                 compile_defaults: dict[str, Any], *, gan_class: type | None = None,
                 **gan_kwargs: Any) -> Any:
    """A :class:`ganzoo.GAN` (or ``gan_class``) compiled with ``compile_defaults``.

    Takes ``latent_dim``, ``num_classes`` and ``seed`` from ``config``; keeps an
    EMA of the generator when ``compile_defaults`` sets ``ema_decay``. Every
    setting lives in ``compile_defaults``, so ``gan.compile()`` restores it.
    """
    if gan_class is None:
        import ganzoo

        gan_class = ganzoo.GAN
    gan = gan_class(
        generator,
        discriminator,
        config.latent_dim,
        num_classes=getattr(config, "num_classes", 0),
        use_ema=compile_defaults.get("ema_decay") is not None,
        compile_defaults=compile_defaults,
        seed=getattr(config, "seed", 0),
        **gan_kwargs,
    )
    gan.compile()
    return gan


def build_gan(package: str, config: Any, compile_defaults: dict[str, Any],
              **gan_kwargs: Any) -> Any:
    """The networks of a plugin in the common shape, compiled into a GAN.

    Imports ``{package}.generator.build_generator`` and
    ``{package}.discriminator.build_discriminator`` only now, so that the
    plugin module calling this imports no backend; see :func:`compiled_gan`.
    """
    import importlib

    generator = importlib.import_module(f"{package}.generator").build_generator(config)
    discriminator = importlib.import_module(f"{package}.discriminator")
    return compiled_gan(generator, discriminator.build_discriminator(config), config,
                        compile_defaults, **gan_kwargs)


def builder(compile_defaults: Callable[[Any], dict[str, Any]], gan_class: str | None = None,
            gan_kwargs: Callable[[Any], dict[str, Any]] | None = None) -> Callable[[Any], Any]:
    """``build(config)`` of a plugin in the common shape, for its :class:`Architecture`.

    The plugin's package is the one whose module defines ``compile_defaults``
    (its ``plugin.py``). ``build`` imports the networks (see :func:`build_gan`)
    and ``gan_class``, a class name in ``{package}.gan`` (default
    :class:`ganzoo.GAN`), only when called, so the plugin module imports no
    backend. ``gan_kwargs(config)`` gives the GAN class's own arguments.
    """
    package = compile_defaults.__module__.rpartition(".")[0]

    def build(config: Any) -> Any:
        import importlib

        cls = None if gan_class is None else getattr(
            importlib.import_module(f"{package}.gan"), gan_class)
        extra = gan_kwargs(config) if gan_kwargs is not None else {}
        return build_gan(package, config, compile_defaults(config), gan_class=cls, **extra)

    build.__doc__ = f"{package}'s networks compiled into a GAN with its compile_defaults."
    return build


def family(compile_defaults: Callable[[Any], dict[str, Any]],
           presets: dict[str, tuple[Preset, ...]],
           table: dict[str, tuple[type, str, str]]) -> tuple[Architecture, ...]:
    """Architectures of one plugin that share its networks and ``compile_defaults``
    (which tells them apart by config class), built by :func:`builder`.

    ``table`` maps each name to ``(config_class, summary, paper)``; ``presets``
    maps each name to its presets.
    """
    build = builder(compile_defaults)
    return tuple(Architecture(name, summary, paper, config_class, build,
                              presets=presets.get(name, ()))
                 for name, (config_class, summary, paper) in table.items())


def architectures_hook(*architectures: Architecture) -> Callable[..., None]:
    """A ``register_architectures`` hook implementation registering ``architectures``.

    In a plugin module: ``register_architectures = architectures_hook(MYGAN)``.
    """
    from ganzoo.hookspecs import hookimpl

    @hookimpl
    def register_architectures(register: Callable[[Any], Any]) -> None:
        for architecture in architectures:
            register(architecture)

    return register_architectures

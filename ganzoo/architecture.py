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
class Stage:
    """One stage of a training schedule (ProGAN grows through several).

    The trainer runs the stages in order: it calls ``enter(gan)``, builds the
    data pipeline at ``image_size`` with ``batch_size``, and trains for
    ``steps`` generator steps. An architecture trained in one stage (most
    are) defines none. Not to be confused with the phases of one train step
    (``Dmain``, ``Dreg``, ``Gmain``, ``Greg``: ``ganzoo.phases``).
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


# ``preset`` keywords that are ``ganzoo train`` options of any architecture, not config
# fields: regularizers added to the architecture's, top-k training, FreezeD, LOGAN
# (ganzoo.tricks).
TRICKS = ("regularizers", "topk", "freeze_d", "latent_optimization")


def preset(name: str, description: str, *, batch_size: int, dataset: str | None = None,
           steps: int | None = None, **config: Any) -> Preset:
    """A :class:`Preset` from keywords: ``batch_size``, ``dataset`` and ``steps``
    are the documented run's training settings, as are ``regularizers`` (names
    added to the architecture's, e.g. ``("lecam",)``), ``topk``, ``freeze_d`` and
    ``latent_optimization``; the rest override the config.

    ``dataset`` and ``steps`` may be left out (a preset for arrays the user
    passes to ``fit``; ``ganzoo train`` then needs ``--dataset``).
    """
    train = {"batch_size": batch_size}
    for key in TRICKS:
        if key in config:
            train[key] = config.pop(key)
    if dataset is not None:
        train["dataset"] = dataset
    if steps is not None:
        train["steps"] = steps
    return Preset(name, description, config, train)


@dataclass(frozen=True)
class Architecture:
    """A named GAN recipe: a config with the paper's defaults and a build function.

    ``build(config)`` returns a compiled :class:`ganzoo.GAN`, ready for ``fit``;
    it keeps every training default in the GAN's ``compile_defaults`` so that
    ``gan.compile()`` with arguments omitted restores them.
    ``stages(config, total_steps)`` optionally splits training into
    :class:`Stage` s (``total_steps`` is None for the paper's own length).
    ``presets`` are named configurations (``ganzoo.build(preset=...)``).
    """

    name: str
    summary: str
    paper: str
    config_class: type  # a dataclass subclassing ArchitectureConfig (images: GANConfig)
    build: Callable[[Any], Any]
    stages: Callable[[Any, int | None], list[Stage]] | None = None
    presets: tuple[Preset, ...] = ()

    def make_config(self, **overrides: Any) -> Any:
        """The paper's defaults with ``overrides`` applied and validated."""
        return resolve_config(self.config_class, overrides)

    def training_stages(self, config: Any, total_steps: int | None) -> list[Stage]:
        """The stages to train ``config`` in: ``stages(...)``, or one of ``total_steps``."""
        if self.stages is None:
            return [Stage("train", total_steps)]
        return list(self.stages(config, total_steps))


# -- helpers for an architecture's build function --------------------------------
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
        num_classes=config.num_classes,
        use_ema=compile_defaults.get("ema_decay") is not None,
        compile_defaults=compile_defaults,
        seed=config.seed,
        **gan_kwargs,
    )
    gan.compile()
    return gan

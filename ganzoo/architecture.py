"""What a plugin registers to describe an architecture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
class Architecture:
    """A named GAN recipe: a config with the paper's defaults and a builder.

    ``build(config)`` returns a compiled :class:`ganzoo.GAN`, ready for ``fit``.
    ``phases(config, total_steps)`` optionally splits training into stages.
    """

    name: str
    summary: str
    paper: str
    config_class: type  # a dataclass; image architectures subclass GANConfig
    build: Callable[[Any], Any]
    phases: Callable[[Any, int], list[TrainingPhase]] | None = None

    def make_config(self, **overrides: Any) -> Any:
        """The paper's defaults with ``overrides`` applied and validated."""
        return resolve_config(self.config_class, overrides)

    def training_phases(self, config: Any, total_steps: int) -> list[TrainingPhase]:
        if self.phases is None:
            return [TrainingPhase("train", total_steps)]
        return list(self.phases(config, total_steps))

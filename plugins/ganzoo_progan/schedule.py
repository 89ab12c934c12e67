"""The growing schedule: a 4x4 phase, then a fade-in and a stabilization phase per level.

Karras et al. 2018 (Section 3 and Appendix A) show 800k real images in each
phase: a fade-in phase, during which the new level's weight ``alpha`` grows
linearly from 0 to 1, then a stabilization phase with ``alpha = 1``. A phase
is measured here in generator steps (``phase.steps * batch_size`` real images
per discriminator step), so ``alpha`` and the level follow from
``gan.step_counter`` alone.

Fitting the schedule into ``total_steps`` generator steps:

- ``total_steps=None``: the paper's schedule, ``ceil(images / batch)`` steps per
  phase, the last phase ending there.
- ``total_steps`` at least the paper's schedule: the paper's phases, and the
  final stabilization phase runs on to ``total_steps`` (as the paper trains on
  at the target resolution).
- fewer ``total_steps``: every phase's image count is scaled by the same factor
  ``f = total_steps / paper_steps``; phase k runs ``max(1, floor(f *
  paper_steps_k))`` steps and the final phase takes up the rounding, so the
  phases add up to exactly ``total_steps``. It needs one step per phase at least.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ganzoo.errors import ConfigError


@dataclass(frozen=True)
class Phase:
    """One phase: ``steps`` generator steps from ``start`` at one level."""

    name: str  # "4x4", "8x8-fade", "8x8-stabilize", ...
    level: int  # 0 = 4x4, 1 = 8x8, ...
    fading: bool  # True: alpha goes 0 -> 1 over the phase
    start: int  # the generator step the phase begins at
    steps: int
    batch_size: int

    @property
    def image_size(self) -> int:
        return 4 * 2**self.level

    @property
    def end(self) -> int:
        return self.start + self.steps


class Schedule:
    """The phases in order; maps a generator step to its phase and ``alpha``.

    Steps past the last phase stay in the last phase (training goes on at the
    target resolution).
    """

    def __init__(self, phases: list[Phase]):
        if not phases:
            raise ConfigError("a ProGAN schedule needs at least one phase")
        for before, after in zip(phases, phases[1:], strict=False):
            if after.start != before.end:
                raise ConfigError(
                    f"phase {after.name} does not start where {before.name} ends"
                )
        self.phases = list(phases)

    def index_at(self, step: int) -> int:
        index = 0
        for i, phase in enumerate(self.phases):
            if phase.start <= step:
                index = i
        return index

    def phase_at(self, step: int) -> Phase:
        return self.phases[self.index_at(step)]

    def alpha_at(self, step: int) -> float:
        """The fade-in weight of the newest level at generator step ``step``."""
        phase = self.phase_at(step)
        if not phase.fading:
            return 1.0
        return min(max((step - phase.start) / phase.steps, 0.0), 1.0)

    @property
    def total_steps(self) -> int:
        return self.phases[-1].end

    def get_config(self) -> list[dict]:
        return [asdict(p) for p in self.phases]

    @classmethod
    def from_config(cls, config: list[dict]) -> Schedule:
        return cls([Phase(**p) for p in config])

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self.phases == other.phases

    def __repr__(self) -> str:
        return "Schedule(" + ", ".join(f"{p.name}:{p.steps}" for p in self.phases) + ")"


def _levels(config) -> list[tuple[int, bool]]:
    """(level, fading) of every phase: 4x4, then fade and stabilize per level."""
    count = int(math.log2(config.image_size)) - 1
    return [(0, False)] + [(lv, f) for lv in range(1, count) for f in (True, False)]


def _name(level: int, fading: bool) -> str:
    res = 4 * 2**level
    if level == 0:
        return f"{res}x{res}"
    return f"{res}x{res}-{'fade' if fading else 'stabilize'}"


def progan_schedule(config, total_steps: int | None = None) -> Schedule:
    """The phases for ``config`` fitted into ``total_steps`` (see the module doc)."""
    kinds = _levels(config)
    fade_images = config.fade_images or config.images_per_phase
    batches = [config.batch_size_at(4 * 2**lv) for lv, _ in kinds]
    images = [fade_images if f else config.images_per_phase for _, f in kinds]
    paper = [math.ceil(n / b) for n, b in zip(images, batches, strict=True)]
    if total_steps is None:
        steps = paper
    elif total_steps < len(kinds):
        raise ConfigError(
            f"ProGAN at {config.image_size}x{config.image_size} has {len(kinds)} "
            f"phases; {total_steps} steps cannot hold one step each"
        )
    elif total_steps >= sum(paper):
        steps = paper[:-1] + [paper[-1] + total_steps - sum(paper)]
    else:
        factor = total_steps / sum(paper)
        steps = [max(1, math.floor(factor * n)) for n in paper]
        steps[-1] += total_steps - sum(steps)
        while steps[-1] < 1:  # the max(1, ...) floors overshot: trim the longest
            longest = max(range(len(steps) - 1), key=lambda i: steps[i])
            steps[longest] -= 1
            steps[-1] += 1
    phases, start = [], 0
    for (level, fading), n, batch in zip(kinds, steps, batches, strict=True):
        phases.append(Phase(_name(level, fading), level, fading, start, n, batch))
        start += n
    return Schedule(phases)

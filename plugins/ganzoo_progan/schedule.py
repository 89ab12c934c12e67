"""The growing schedule: a 4x4 stage, then a fade-in and a stabilization stage per level.

A *level* is a resolution (0 = 4x4, 1 = 8x8 ...); a *growth stage* is a
stretch of training at one level, fading it in or stabilizing it. Each
becomes one :class:`ganzoo.architecture.Stage` of the trainer's schedule.

Karras et al. 2018 (Section 3 and Appendix A) show 800k real images in each
stage: a fade-in stage, during which the new level's weight ``alpha`` grows
linearly from 0 to 1, then a stabilization stage with ``alpha = 1``. A stage
is measured here in generator steps (``stage.steps * batch_size`` real images
per discriminator step), so ``alpha`` and the level follow from
``gan.step_counter`` alone.

Fitting the schedule into ``total_steps`` generator steps:

- ``total_steps=None``: the paper's schedule, ``ceil(images / batch)`` steps per
  stage, the last stage ending there.
- ``total_steps`` at least the paper's schedule: the paper's stages, and the
  final stabilization stage runs on to ``total_steps`` (as the paper trains on
  at the target resolution).
- fewer ``total_steps``: every stage's image count is scaled by the same factor
  ``f = total_steps / paper_steps``; stage k runs ``max(1, floor(f *
  paper_steps_k))`` steps and the final stage takes up the rounding, so the
  stages add up to exactly ``total_steps``. It needs one step per stage at least.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ganzoo.errors import ConfigError


@dataclass(frozen=True)
class GrowthStage:
    """One growth stage: ``steps`` generator steps from ``start`` at one level."""

    name: str  # "4x4", "8x8-fade", "8x8-stabilize", ...
    level: int  # 0 = 4x4, 1 = 8x8, ...
    fading: bool  # True: alpha goes 0 -> 1 over the stage
    start: int  # the generator step the stage begins at
    steps: int
    batch_size: int

    @property
    def image_size(self) -> int:
        return 4 * 2**self.level

    @property
    def end(self) -> int:
        return self.start + self.steps


class Schedule:
    """The growth stages in order; maps a generator step to its stage and ``alpha``.

    Steps past the last stage stay in the last stage (training goes on at the
    target resolution).
    """

    def __init__(self, stages: list[GrowthStage]):
        if not stages:
            raise ConfigError("a ProGAN schedule needs at least one stage")
        for before, after in zip(stages, stages[1:], strict=False):
            if after.start != before.end:
                raise ConfigError(
                    f"stage {after.name} does not start where {before.name} ends"
                )
        self.stages = list(stages)

    def index_at(self, step: int) -> int:
        index = 0
        for i, stage in enumerate(self.stages):
            if stage.start <= step:
                index = i
        return index

    def stage_at(self, step: int) -> GrowthStage:
        return self.stages[self.index_at(step)]

    def alpha_at(self, step: int) -> float:
        """The fade-in weight of the newest level at generator step ``step``."""
        stage = self.stage_at(step)
        if not stage.fading:
            return 1.0
        return min(max((step - stage.start) / stage.steps, 0.0), 1.0)

    @property
    def total_steps(self) -> int:
        return self.stages[-1].end

    def get_config(self) -> list[dict]:
        """One dict of :class:`GrowthStage` fields per stage (saved in the model's config)."""
        return [asdict(p) for p in self.stages]

    @classmethod
    def from_config(cls, config: list[dict]) -> Schedule:
        return cls([GrowthStage(**p) for p in config])

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self.stages == other.stages

    def __repr__(self) -> str:
        return "Schedule(" + ", ".join(f"{p.name}:{p.steps}" for p in self.stages) + ")"


def _levels(config) -> list[tuple[int, bool]]:
    """(level, fading) of every stage: 4x4, then fade and stabilize per level."""
    count = int(math.log2(config.image_size)) - 1
    return [(0, False)] + [(lv, f) for lv in range(1, count) for f in (True, False)]


def _name(level: int, fading: bool) -> str:
    res = 4 * 2**level
    if level == 0:
        return f"{res}x{res}"
    return f"{res}x{res}-{'fade' if fading else 'stabilize'}"


def progan_schedule(config, total_steps: int | None = None) -> Schedule:
    """The growth stages for ``config`` fitted into ``total_steps`` (see the module doc)."""
    kinds = _levels(config)
    fade_images = config.fade_images or config.images_per_stage
    batches = [config.batch_size_at(4 * 2**lv) for lv, _ in kinds]
    images = [fade_images if f else config.images_per_stage for _, f in kinds]
    paper = [math.ceil(n / b) for n, b in zip(images, batches, strict=True)]
    if total_steps is None:
        steps = paper
    elif total_steps < len(kinds):
        raise ConfigError(
            f"ProGAN at {config.image_size}x{config.image_size} has {len(kinds)} "
            f"growth stages; {total_steps} steps cannot hold one step each"
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
    stages, start = [], 0
    for (level, fading), n, batch in zip(kinds, steps, batches, strict=True):
        stages.append(GrowthStage(_name(level, fading), level, fading, start, n, batch))
        start += n
    return Schedule(stages)

"""``Compose``: several pipelines at once, written ``"ada+apa"`` in a spec string.

Each member keeps its own settings and state (two adaptive pipelines keep two
``p``); all draw from one stream, the composition's own or the one given to
``bind`` (the GAN's). Images pass through the members in the order written;
``update`` reaches every member, ``logged_values`` gathers theirs, and
``replace_reals`` (APA) runs for the members that replace reals.
"""

from __future__ import annotations

import keras

from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.augment.spec import get, serialize
from ganzoo.errors import GanzooError


@keras.saving.register_keras_serializable(package="ganzoo")
class Compose(AugmentPipeline):
    """Pipelines applied one after the other.

    Args:
        pipelines: two or more pipelines, spec strings or serialized dicts.
        seed: seed of the stream every member draws from (until ``bind``).
    """

    spec_name = "compose"

    def __init__(self, pipelines, seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        members = [get(p) for p in pipelines]
        if len(members) < 2 or any(m is None for m in members):
            raise GanzooError(f"compose needs two or more pipelines, got {list(pipelines)!r}")
        names = [m.spec_name or type(m).__name__ for m in members]
        if len(set(names)) != len(names):
            raise GanzooError(f"'{'+'.join(names)}' names a pipeline twice; give each once")
        self.pipelines = members
        for member in members:
            member.bind(self.seed_generator)

    def bind(self, seed_generator) -> None:
        super().bind(seed_generator)
        for member in self.pipelines:
            member.bind(seed_generator)

    def call(self, images, training=True):
        before = sum(m.draws for m in self.pipelines)
        for member in self.pipelines:
            images = member(images, training=training)
        self.draws += sum(m.draws for m in self.pipelines) - before
        return images

    @property
    def replaces_reals(self) -> bool:
        return any(m.replaces_reals for m in self.pipelines)

    def replace_reals(self, real, fake):
        for member in self.pipelines:
            if member.replaces_reals:
                real = member.replace_reals(real, fake)
        return real

    def update(self, real_logits) -> None:
        for member in self.pipelines:
            member.update(real_logits)

    def logged_values(self) -> dict:
        values: dict = {}
        for member in self.pipelines:
            values.update(member.logged_values())
        return values

    @classmethod
    def from_spec(cls, argument):
        raise GanzooError("write the pipelines joined by '+', e.g. 'ada+apa' or "
                          "'diffaugment:color,translation+apa:0.6'")

    def get_config(self):
        return {**super().get_config(), "pipelines": [serialize(m) for m in self.pipelines]}

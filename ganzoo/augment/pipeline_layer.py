"""``AugmentPipeline``: the base class of differentiable augmentations for D.

A pipeline is a Keras layer, so the GAN that holds it tracks its variables
(ADA's ``p`` and statistics, the random stream): they are saved with the
model, restored on load and threaded through JAX's stateless train step.

The contract the train step relies on:

- ``pipeline(images, training=True)`` returns augmented images of the same
  shape and dtype, differentiably (apply it to every image D sees: reals and
  fakes, in the D and G steps and inside regularizers);
- ``pipeline.update(real_logits)`` after each discriminator step (adaptive
  pipelines adjust themselves there; the default does nothing);
- ``pipeline.logged_values()``: scalars to log every step (``augment_p``...);
- a pipeline with ``replaces_reals = True`` (APA) also gets
  ``pipeline.replace_reals(real, fake)`` in every discriminator phase, before
  D sees the reals: it returns the batch D is to take as real (the fakes are
  that phase's, detached from G).

Randomness comes from a ``keras.random.SeedGenerator``: the pipeline's own,
seeded by ``seed``, or the one given to ``bind`` (the GAN's seeded stream),
and is turned into backend-independent numbers by ``PortableRandom``.
"""

from __future__ import annotations

from typing import ClassVar

import keras
from keras import ops

from ganzoo.augment.ops import static_hw
from ganzoo.augment.portable_random import PortableRandom, key_from
from ganzoo.saving import SeedStateSaving


class _StreamRef:
    """Holds a borrowed SeedGenerator without Keras tracking it a second time."""

    __slots__ = ("generator",)

    def __init__(self, generator):
        self.generator = generator


class AugmentPipeline(SeedStateSaving, keras.layers.Layer):
    """Base class: subclasses set ``spec_name`` and implement ``augment``.

    Args:
        seed: seed of the pipeline's own random stream (used until ``bind``).
    """

    spec_name: ClassVar[str] = ""
    replaces_reals: ClassVar[bool] = False  # whether the D phase calls replace_reals

    def __init__(self, seed: int | None = None, **kwargs):
        kwargs.setdefault("autocast", False)  # images keep their dtype (mixed precision)
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="augment_seed")
        self._stream = _StreamRef(None)
        self.draws = 0  # augmenting calls traced so far (a Python count, not state)
        self.built = True

    # -- the contract -----------------------------------------------------------
    def bind(self, seed_generator) -> None:
        """Draw from ``seed_generator`` (e.g. the GAN's) instead of the own stream."""
        self._stream = _StreamRef(seed_generator)

    @property
    def stream(self):
        """The SeedGenerator the pipeline draws its keys from."""
        return self._stream.generator or self.seed_generator

    def advance(self, draws: int) -> None:
        """Advance the stream by ``draws`` keys, as that many calls would.

        The GAN calls this after a regularizer's input gradient, whose state
        updates are discarded: without it the next call would draw the key the
        regularizer's call used.
        """
        for _ in range(draws):
            self.stream.next()

    def call(self, images, training=True):
        if not training:
            return images
        static_hw(images)  # a clear error for non-image inputs
        dtype = images.dtype
        self.draws += 1
        random = PortableRandom(key_from(self.stream), ops.shape(images)[0])
        out = self.augment(ops.cast(images, "float32"), random)
        return ops.cast(out, dtype)

    def augment(self, images, random: PortableRandom):
        """Augment float32 NHWC ``images`` with draws from ``random``."""
        raise NotImplementedError

    def update(self, real_logits) -> None:
        """Called with D's logits on (augmented) reals after each D step."""

    def logged_values(self) -> dict:
        """Scalars the trainer logs every step, by name."""
        return {}

    def replace_reals(self, real, fake):
        """The images D takes as real in a D phase (only if ``replaces_reals``)."""
        return real

    def compute_output_shape(self, input_shape):
        return input_shape

    # -- construction from a spec string (``"name:argument"``) --------------------
    @classmethod
    def from_spec(cls, argument: str | None) -> AugmentPipeline:
        """Build from the part of a spec string after ``name:`` (None if absent)."""
        raise NotImplementedError

    # -- serialization ------------------------------------------------------------
    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}

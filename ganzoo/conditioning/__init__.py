"""Conditioning of D: how a class-conditional discriminator uses the labels.

A conditioning is registered through the ``register_conditionings`` hook
(the built-ins go through it too) and chosen by name, as a backbone's
``d_conditioning`` config field. It provides two things:

- the head of D: a Keras layer that takes D's pooled features and the
  labels, ``[features (B, C), labels (B,)]``, and returns the adversarial
  logit and whatever auxiliary outputs its losses read (class logits,
  embeddings, proxies);
- its loss terms: ``discriminator_term(real, fake, labels)`` added to D's
  loss in ``Dmain``, and ``generator_term(fake, labels)`` added to G's loss
  in ``Gmain``, both written in keras.ops, with their weights applied.
  ``real`` and ``fake`` are dicts of D's outputs on the reals and fakes:
  ``"logits"`` (B,) and the head's auxiliary outputs. A conditioning with
  ``replaces_loss = True`` (multi-hinge) is itself the adversarial loss: its
  ``discriminator_loss``/``generator_loss`` take the place of the compiled
  loss.

The train step finds the conditioning in the discriminator (its
``ConditioningHead`` layer, see ``ganzoo.conditioning.head``); every other
reader of D (regularizers, metrics) sees only the adversarial logit.
``projection`` (Miyato & Koyama 2018) is the default of the backbones that
have it and builds the same ``ProjectionHead`` as before, whose D returns
the logit alone.

The built-ins: ``head`` (the head layer, ``projection``, ``none``),
``auxiliary`` (ACGAN, TACGAN, ADCGAN, ContraGAN, ReACGAN and their
combinations), ``multi_hinge`` (MHGAN); docs/techniques.md describes each.
This module imports no backend: a config names a conditioning without Keras.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.registry import unknown_name_message


@dataclasses.dataclass(frozen=True)
class Conditioning:
    """Base class of a D conditioning: a frozen dataclass whose fields are its
    options (weights, temperatures...), registered as an instance with a ``name``.

    Subclasses implement ``build_head``/``call_head`` (the head) and the terms.
    ``head.dense(units, use_bias, name)`` and ``head.embedding(rows, dim, name)``
    make sublayers that follow the backbone's spectral norm and initializer.
    """

    name: str
    replaces_loss: ClassVar[bool] = False  # its own D/G losses replace the compiled loss
    uses_labels: ClassVar[bool] = True  # False: the head ignores the labels ("none")

    # -- the head ----------------------------------------------------------------
    def make_head(self, num_classes: int, spectral_norm: bool, kernel_initializer,
                  name: str | None = None):
        """The Keras layer ``[features, labels] -> logits or {"logits": ..., aux...}``."""
        from ganzoo.conditioning.head import ConditioningHead

        return ConditioningHead(self.to_config(), num_classes, spectral_norm=spectral_norm,
                                kernel_initializer=kernel_initializer,
                                name=name or "conditioning_head")

    def build_head(self, head, features_dim: int) -> None:
        """Create the head's sublayers (``head.dense``, ``head.embedding``)."""
        head.dense(1, True, "adversarial")

    def call_head(self, head, features, labels, training=None) -> dict:
        """``{"logits": (B, 1), ...}`` for pooled ``features`` and int ``labels``."""
        return {"logits": head.parts["adversarial"](features, training=training)}

    # -- the losses --------------------------------------------------------------
    @property
    def has_terms(self) -> bool:
        """Whether it adds ``d_cond``/``g_cond`` terms to the main phases."""
        return False

    def discriminator_term(self, real: dict, fake: dict, labels):
        """D's extra loss (weighted), from D's outputs on reals and fakes."""
        return 0.0

    def generator_term(self, fake: dict, labels):
        """G's extra loss (weighted), from D's outputs on the fakes."""
        return 0.0

    def discriminator_loss(self, real: dict, fake: dict, labels):
        """D's adversarial loss when ``replaces_loss``."""
        raise NotImplementedError

    def generator_loss(self, fake: dict, labels):
        """G's adversarial loss when ``replaces_loss``."""
        raise NotImplementedError

    # -- saving ------------------------------------------------------------------
    def to_config(self) -> dict:
        """``{"name": ..., **options}``: what a saved head stores."""
        return dataclasses.asdict(self)


def registry():
    from ganzoo.plugins import registries

    return registries().conditionings


def get(value, extra: tuple[str, ...] = ()) -> Conditioning:
    """A conditioning from a registered name, ``{"name": ..., **options}`` or an instance.

    ``extra`` are names the caller handles itself (cgan's ``"input"``); they only
    appear in the error's list of valid names.
    """
    if isinstance(value, Conditioning):
        return value
    options = {}
    if isinstance(value, dict):
        options = dict(value)
        value = options.pop("name", None)
    if not isinstance(value, str):
        raise GanzooError(f"d_conditioning={value!r} is not a conditioning name")
    known = registry()
    if value not in known:
        raise UnknownNameError(unknown_name_message(
            "D conditioning", value, known.names() + list(extra)))
    base = known.get(value)
    try:
        return dataclasses.replace(base, **options) if options else base
    except TypeError as exc:
        raise GanzooError(f"D conditioning '{value}' takes no option ({exc})") from None


def check_labels(name: str, num_classes: int) -> None:
    """The one error for a label-using conditioning on an unconditional model."""
    if not num_classes and name not in ("projection", "none"):
        raise GanzooError(
            f"d_conditioning='{name}' needs class labels: set num_classes > 0, or use "
            "'projection' or 'none' for an unconditional model")


def find(discriminator) -> Conditioning | None:
    """The conditioning of ``discriminator``'s ``ConditioningHead``, or None if it has none."""
    from ganzoo.conditioning.head import ConditioningHead

    found: list[Any] = []

    def walk(layer, depth=0):
        for child in getattr(layer, "layers", ()) if depth < 8 else ():
            if isinstance(child, ConditioningHead):
                found.append(child)
            walk(child, depth + 1)

    walk(discriminator)
    if len(found) > 1:
        raise GanzooError(f"the discriminator has {len(found)} conditioning heads; "
                          "give it one")
    return found[0].conditioning if found else None

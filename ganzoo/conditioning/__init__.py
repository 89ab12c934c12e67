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

The base class ``Conditioning`` and the head layer ``ConditioningHead`` are
in ``ganzoo.conditioning.head``. The train step finds the conditioning in
the discriminator (its ``ConditioningHead``, ``head.find``); every other
reader of D (regularizers, metrics) sees only the adversarial logit.
``projection`` (Miyato & Koyama 2018) is the default of the backbones that
have it and builds the same ``ProjectionHead`` as before, whose D returns
the logit alone.

The built-ins: ``head`` (the head layer, ``projection``, ``none``),
``auxiliary`` (ACGAN, TACGAN, ADCGAN, ContraGAN, ReACGAN and their
combinations), ``multi_hinge`` (MHGAN); docs/techniques.md describes each.
This module (``get``, ``check_labels``) imports no backend.
"""

from __future__ import annotations

import dataclasses

from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.registry import unknown_name_message


def registry():
    from ganzoo.plugins import registries

    return registries().conditionings


def get(value, extra: tuple[str, ...] = ()):
    """A ``Conditioning`` from a registered name, ``{"name": ..., **options}`` or an instance.

    ``extra`` are names the caller handles itself (cgan's ``"input"``); they only
    appear in the error's list of valid names.
    """
    if not isinstance(value, (str, dict)):
        return value  # a Conditioning (ganzoo.conditioning.head) already
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

"""Multi-hinge conditioning of D (MHGAN, Kavalerov, Czaja & Chellappa 2021).

D has K + 1 outputs, one per class and one for "fake", and is trained with
the Crammer-Singer multi-class hinge loss: the reals towards their class,
the fakes towards the fake class K. G's loss is the same hinge on its fakes
towards their classes, times ``g_weight`` (PyTorch-StudioGAN's ``mh_lambda``,
0.05 in its MHGAN config). This loss replaces the compiled adversarial loss.

The adversarial logit that regularizers, logs and ADA read is the margin of
the labelled class over the fake class, ``out[y] - out[K]``.
"""

from __future__ import annotations

import dataclasses

from keras import ops

from ganzoo.conditioning.auxiliary import MASKED
from ganzoo.conditioning.head import Conditioning


def crammer_singer(outputs, labels):
    """mean(relu(1 + max_{j != y} out_j - out_y)) over the batch."""
    outputs = ops.cast(outputs, "float32")
    onehot = ops.one_hot(labels, ops.shape(outputs)[-1])
    target = ops.sum(outputs * onehot, axis=-1)
    wrong = ops.max(ops.where(onehot > 0, MASKED, outputs), axis=-1)
    return ops.mean(ops.relu(1.0 + wrong - target))


@dataclasses.dataclass(frozen=True)
class MultiHinge(Conditioning):
    """K + 1 class outputs and the multi-class hinge loss as D's and G's adversarial loss."""

    g_weight: float = 0.05  # StudioGAN's mh_lambda

    replaces_loss = True

    def build_head(self, head, features_dim):
        head.dense(head.num_classes + 1, True, "classes")

    def call_head(self, head, features, labels, training=None):
        classes = head.parts["classes"](features, training=training)
        onehot = ops.one_hot(labels, head.num_classes + 1, dtype=classes.dtype)
        logits = ops.sum(classes * onehot, axis=-1, keepdims=True) - classes[:, -1:]
        return {"logits": logits, "class_logits": classes}

    def discriminator_loss(self, real, fake, labels):
        fake_class = ops.full_like(labels, ops.shape(real["class_logits"])[-1] - 1)
        return (crammer_singer(real["class_logits"], labels)
                + crammer_singer(fake["class_logits"], fake_class))

    def generator_loss(self, fake, labels):
        return self.g_weight * crammer_singer(fake["class_logits"], labels)


BUILTIN = (MultiHinge("mhgan"),)

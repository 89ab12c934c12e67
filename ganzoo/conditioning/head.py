"""The base class of conditionings of D, the head layer they build, and the two plain ones.

``ConditioningHead`` is one Keras layer for every conditioning: it saves the
conditioning as ``{"name": ..., **options}`` and finds it again in the
registry when loaded, so a plugin's conditioning saves inside ``.keras``
files with no Keras decoration of its own. Its sublayers are made by the
conditioning through ``dense`` and ``embedding``, which follow the
backbone's spectral norm and initializer.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import keras
from keras import ops

from ganzoo.conditioning import get
from ganzoo.errors import GanzooError
from ganzoo.layers._utils import clone_initializer
from ganzoo.layers.equalized import EqualizedDense
from ganzoo.layers.projection_head import ProjectionHead
from ganzoo.layers.spectral_norm import SNDense, SNEmbedding


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
                  name: str | None = None, equalized_lr: bool = False):
        """The Keras layer ``[features, labels] -> logits or {"logits": ..., aux...}``
        (``equalized_lr``: dense sublayers with equalized learning rate, for StyleGAN2)."""
        return ConditioningHead(self.to_config(), num_classes, spectral_norm=spectral_norm,
                                kernel_initializer=kernel_initializer,
                                name=name or "conditioning_head", equalized_lr=equalized_lr)

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


@keras.saving.register_keras_serializable(package="ganzoo")
class ConditioningHead(keras.layers.Layer):
    """``[features (B, C), labels (B,)]`` -> ``{"logits": (B, 1), aux...}``.

    Args:
        conditioning: a registered name, ``{"name": ..., **options}`` or a
            ``Conditioning``.
        num_classes: number of classes.
        spectral_norm: spectral-normalize the dense layers and embeddings.
        kernel_initializer: initializer of every sublayer.
        equalized_lr: dense sublayers are ``ganzoo.layers.EqualizedDense`` (gain 1,
            N(0, 1) weights scaled at run time), as the heads of StyleGAN2's D.
    """

    def __init__(self, conditioning, num_classes, spectral_norm=False,
                 kernel_initializer="glorot_uniform", equalized_lr=False, **kwargs):
        super().__init__(**kwargs)
        self.conditioning = get(conditioning)
        self.num_classes = int(num_classes)
        self.spectral_norm = bool(spectral_norm)
        self.equalized_lr = bool(equalized_lr)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.parts: dict = {}

    def dense(self, units: int, use_bias: bool, name: str):
        """A (spectral-normalized) dense sublayer, built on the features."""
        if self.equalized_lr:
            layer = EqualizedDense(units, use_bias=use_bias, gain=1.0, dtype=self.dtype_policy,
                                   name=name)
        else:
            cls = SNDense if self.spectral_norm else keras.layers.Dense
            layer = cls(units, use_bias=use_bias, dtype=self.dtype_policy, name=name,
                        kernel_initializer=clone_initializer(self.kernel_initializer))
        layer.build((None, self._features_dim))
        self.parts[name] = layer
        return layer

    def embedding(self, rows: int, dim: int, name: str):
        """A (spectral-normalized) embedding sublayer of ``rows`` vectors of ``dim``."""
        cls = SNEmbedding if self.spectral_norm else keras.layers.Embedding
        layer = cls(rows, dim, dtype=self.dtype_policy, name=name,
                    embeddings_initializer=clone_initializer(self.kernel_initializer))
        layer.build((None,))
        self.parts[name] = layer
        return layer

    def build(self, input_shape):
        features_shape, _ = input_shape
        self._features_dim = int(features_shape[-1])
        self.conditioning.build_head(self, self._features_dim)

    def call(self, inputs, training=None):
        features, labels = inputs
        labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
        return self.conditioning.call_head(self, features, labels, training=training)

    def get_config(self):
        return {**super().get_config(), "conditioning": self.conditioning.to_config(),
                "num_classes": self.num_classes, "spectral_norm": self.spectral_norm,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                **({"equalized_lr": True} if self.equalized_lr else {})}


def find(discriminator) -> Conditioning | None:
    """The conditioning of ``discriminator``'s ``ConditioningHead``, or None if it has none."""
    found: list = []

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


@dataclasses.dataclass(frozen=True)
class Projection(Conditioning):
    """Projection discriminator (Miyato & Koyama 2018): ``dense(h) + <embed(y), h>``.

    Builds ``ganzoo.layers.ProjectionHead``, so D returns the logit alone and
    the numbers and weight names are those of the backbones before
    conditionings were pluggable. No extra loss terms.
    """

    def make_head(self, num_classes, spectral_norm, kernel_initializer, name=None,
                  equalized_lr=False):  # ProjectionHead's layers are plain ones
        return ProjectionHead(num_classes, spectral_norm=spectral_norm,
                              kernel_initializer=kernel_initializer,
                              name=name or "projection")


@dataclasses.dataclass(frozen=True)
class NoConditioning(Conditioning):
    """No conditioning of D (StudioGAN's "W/O"): a dense logit, the labels unused;
    only G is conditional."""

    uses_labels = False


BUILTIN = (Projection("projection"), NoConditioning("none"))

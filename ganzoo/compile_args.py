"""``GAN.compile``'s arguments: defaults, resolution, validation and saving.

An argument the caller omits takes the architecture's ``compile_defaults``,
then ganzoo's ``COMPILE_DEFAULTS``. ``resolve`` turns names and configs into
objects; ``to_config`` turns them back into what a ``.keras`` file stores
(optimizer and constraint configs, the loss's name, regularizers as registry
dicts), so ``compile_from_config`` rebuilds the same training setup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import keras

from ganzoo import constraints  # noqa: F401 (registers WeightClip: d_constraint configs name it)
from ganzoo.errors import GanzooError
from ganzoo.losses import AdversarialLoss
from ganzoo.registry import parse_named
from ganzoo.regularizers import Regularizer

DEFAULT_OPTIMIZER = {
    "class_name": "Adam",
    "config": {"learning_rate": 2e-4, "beta_1": 0.5, "beta_2": 0.999},
}
COMPILE_DEFAULTS: dict[str, Any] = {
    "g_optimizer": DEFAULT_OPTIMIZER,
    "d_optimizer": DEFAULT_OPTIMIZER,
    "loss": "non_saturating",
    "regularizers": (),
    "d_steps": 1,
    "ema_decay": None,
    "ema_start": 0,
    "label_smoothing": 0.0,
    "d_constraint": None,
    "lazy_rescale": False,
    "augment": None,
    "generator_first": False,
    "sanitize_gradients": False,
    "topk": None,
    "freeze_d": 0,
    "latent_optimization": None,
}


def to_regularizer(value) -> Regularizer:
    """A Regularizer from an instance, a registered name or ``{"name": ..., **config}``."""
    from ganzoo.plugins import registries

    if isinstance(value, Regularizer):
        return value
    if isinstance(value, str):
        name, options = parse_named(value)
        return make_regularizer(registries().regularizers.get(name), options)
    if isinstance(value, dict):
        if "class_name" in value and "module" in value:  # files saved before registry dicts
            return keras.saving.deserialize_keras_object(value)
        value = dict(value)
        name = value.pop("name", None)
        if name is None:
            raise GanzooError(f"regularizer config {value!r} needs a 'name'")
        return make_regularizer(registries().regularizers.get(name), value)
    raise GanzooError(
        f"{value!r} is not a regularizer: pass a ganzoo.regularizers.Regularizer, "
        "a registered name ('gp', 'r1'...) or {'name': ..., 'weight': ...}"
    )


def make_regularizer(cls, options: dict) -> Regularizer:
    """``cls(**options)``; an unknown option is one error line naming the valid ones."""
    import inspect

    try:
        inspect.signature(cls).bind(**options)
    except TypeError:
        valid = [p for p in inspect.signature(cls).parameters if p not in ("args", "kwargs")]
        raise GanzooError(f"regularizer '{cls.name}' takes {', '.join(valid)}; "
                          f"got {', '.join(sorted(options))}") from None
    return cls(**options)


def to_loss(value) -> AdversarialLoss:
    """An AdversarialLoss from an instance or a registered name."""
    from ganzoo.plugins import registries

    if isinstance(value, AdversarialLoss):
        return value
    if isinstance(value, str):
        return registries().losses.get(value)
    raise GanzooError(
        f"loss={value!r} is not an adversarial loss: pass a registered name "
        f"({', '.join(registries().losses.names())}) or a ganzoo.losses.AdversarialLoss"
    )


def to_augment(value):
    """An augmentation (``ganzoo.augment`` pipeline or any ``__call__(images, training)``) or None.

    Spec strings (``"diffaugment:color,translation"``, ``"ada:0.6"``), pipelines and
    ``ganzoo.augment.serialize`` dicts go through ``ganzoo.augment.get``.
    """
    from ganzoo import augment

    if isinstance(value, dict) and "class_name" in value and "name" not in value:
        return keras.saving.deserialize_keras_object(value)  # a plain Keras object's config
    if value is None or isinstance(value, (str, dict, augment.AugmentPipeline)):
        return augment.get(value)
    if callable(value):
        return value
    return augment.get(value)  # raises the error that lists the valid forms


def augment_to_config(value):
    """What the compile config stores for ``value`` (None when it cannot be stored)."""
    from ganzoo import augment

    if isinstance(value, augment.AugmentPipeline):
        return augment.serialize(value)
    if value is None or not hasattr(value, "get_config"):
        return None
    return keras.saving.serialize_keras_object(value)


@dataclass
class CompileArgs:
    """``GAN.compile``'s arguments, resolved to objects and checked."""

    g_optimizer: keras.optimizers.Optimizer
    d_optimizer: keras.optimizers.Optimizer
    loss: AdversarialLoss
    regularizers: list
    d_steps: int
    ema_decay: float | None
    ema_start: int
    label_smoothing: float
    d_constraint: Any
    lazy_rescale: bool
    augment: Any
    generator_first: bool
    sanitize_gradients: bool
    topk: Any
    freeze_d: int
    latent_optimization: Any = None

    def to_config(self) -> dict:
        """What ``get_compile_config`` stores (JSON-serializable)."""
        return {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "loss": self.loss.name,
            "regularizers": [r.to_registry_config() for r in self.regularizers],
            "d_steps": self.d_steps,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
            "label_smoothing": self.label_smoothing,
            "d_constraint": None if self.d_constraint is None
            else keras.saving.serialize_keras_object(self.d_constraint),
            "lazy_rescale": self.lazy_rescale,
            "augment": augment_to_config(self.augment),
            "generator_first": self.generator_first,
            "sanitize_gradients": self.sanitize_gradients,
            "topk": None if self.topk is None else self.topk.get_config(),
            "freeze_d": self.freeze_d,
            "latent_optimization": None if self.latent_optimization is None
            else self.latent_optimization.get_config(),
        }


def from_keras(value, which: str, kind: type, get, expected: str):
    """``value`` if it is a ``kind``, else what Keras' ``get`` makes of a name or config."""
    if isinstance(value, kind):
        return value
    try:
        return get(value)
    except (ValueError, TypeError) as exc:
        raise GanzooError(f"{which}={value!r} is not {expected} ({exc})") from None


def to_optimizer(value, which: str) -> keras.optimizers.Optimizer:
    """An optimizer from an instance, a name ('adam') or a Keras config."""
    return from_keras(value, which, keras.optimizers.Optimizer, keras.optimizers.get,
                      "an optimizer: pass a keras optimizer, its name ('adam') or its config")


def to_constraint(value, which: str):
    """A constraint (or None) from an instance or its Keras config."""
    if value is None:
        return None
    return from_keras(value, which, keras.constraints.Constraint, keras.constraints.get,
                      "a weight constraint: pass a keras.constraints.Constraint such as "
                      "ganzoo.constraints.WeightClip(0.01)")


def resolve(given: dict, defaults: dict, use_ema: bool) -> CompileArgs:
    """Fill omitted arguments from ``defaults`` then COMPILE_DEFAULTS; check them."""
    unknown = set(defaults) - set(COMPILE_DEFAULTS)
    if unknown:
        raise GanzooError(
            f"compile_defaults has unknown keys {sorted(unknown)}; "
            f"use only {sorted(COMPILE_DEFAULTS)}"
        )
    args = {
        k: v if v is not None else defaults.get(k, COMPILE_DEFAULTS[k])
        for k, v in given.items()
    }
    g_opt = to_optimizer(args["g_optimizer"], "g_optimizer")
    d_opt = to_optimizer(args["d_optimizer"], "d_optimizer")
    if g_opt is d_opt:
        raise GanzooError(
            "g_optimizer and d_optimizer are the same object; "
            "pass two optimizers (each keeps its own state)"
        )
    if int(args["d_steps"]) < 1:
        raise GanzooError(f"d_steps={args['d_steps']} must be >= 1")
    ema_decay = args["ema_decay"]
    if ema_decay is not None:
        if not use_ema:
            raise GanzooError(
                "ema_decay is set but the GAN was built with use_ema=False; "
                "build it with use_ema=True"
            )
        if not 0.0 <= float(ema_decay) < 1.0:
            raise GanzooError(f"ema_decay={ema_decay} must be in [0, 1)")
    elif use_ema:
        ema_decay = 0.999
    loss = to_loss(args["loss"])
    label_smoothing = float(args["label_smoothing"])
    loss.check_label_smoothing(label_smoothing)
    from ganzoo.tricks.latent_optimization import to_latent_optimization
    from ganzoo.tricks.topk import to_topk

    regularizers = [p for r in args["regularizers"] for p in to_regularizer(r).parts()]
    topk = to_topk(args["topk"])
    if topk is not None:
        topk.check_loss(loss)
    freeze_d = args["freeze_d"]
    if isinstance(freeze_d, bool) or int(freeze_d) != freeze_d or freeze_d < 0:
        raise GanzooError(f"freeze_d={freeze_d!r} must be a whole number >= 0 "
                          "(the discriminator's first blocks to freeze)")
    return CompileArgs(
        g_optimizer=g_opt,
        d_optimizer=d_opt,
        loss=loss,
        regularizers=regularizers,
        d_steps=int(args["d_steps"]),
        ema_decay=None if ema_decay is None else float(ema_decay),
        ema_start=int(args["ema_start"]),
        label_smoothing=label_smoothing,
        d_constraint=to_constraint(args["d_constraint"], "d_constraint"),
        lazy_rescale=bool(args["lazy_rescale"]),
        augment=to_augment(args["augment"]),
        generator_first=bool(args["generator_first"]),
        sanitize_gradients=bool(args["sanitize_gradients"]),
        topk=topk,
        freeze_d=int(freeze_d),
        latent_optimization=to_latent_optimization(args["latent_optimization"]),
    )

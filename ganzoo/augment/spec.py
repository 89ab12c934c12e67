"""From what a user writes to a pipeline object, and back.

``get("diffaugment:color,translation")`` looks ``diffaugment`` up in the
augmentation registry (filled by the ``register_augmentations`` hook, so
plugins can add pipelines) and hands the rest to the class's ``from_spec``;
``get("ada+apa")`` composes the pipelines it names (``Compose``).
``serialize``/``deserialize`` store a pipeline as ``{"name", "config"}``, so a
plugin's pipeline saves and loads by its registered name, without
``keras.saving.register_keras_serializable``.
"""

from __future__ import annotations

from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.errors import GanzooError

_NONE = ("", "none", "off")


def _registry():
    from ganzoo.plugins import registries

    return registries().augmentations


def _pipeline_class(name: str) -> type[AugmentPipeline]:
    entry = _registry().get(name)
    return getattr(entry, "obj", entry)  # registered as ganzoo.registry.Named(name, cls)


def names() -> list[str]:
    """Registered augmentation pipeline names."""
    return _registry().names()


def get(value) -> AugmentPipeline | None:
    """A pipeline from an object, a spec string (``"ada:0.6"``), a serialized dict or None."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _NONE):
        return None
    if isinstance(value, AugmentPipeline):
        return value
    if isinstance(value, dict):
        return deserialize(value)
    if isinstance(value, str) and "+" in value:  # ganzoo.augment.compose.Compose
        return _pipeline_class("compose")([part.strip() for part in value.split("+")])
    if isinstance(value, str):
        name, _, argument = value.strip().partition(":")
        cls = _pipeline_class(name.strip())
        return cls.from_spec(argument.strip() or None)
    raise GanzooError(
        f"augment={value!r} is not an augmentation: pass a spec string "
        f"({', '.join(names())}, e.g. 'diffaugment:color,translation,cutout', "
        "'ada:0.6' or 'ada+apa'), a ganzoo.augment.AugmentPipeline or None"
    )


def serialize(pipeline: AugmentPipeline) -> dict:
    """``{"name": registered name, "config": get_config()}``."""
    if not pipeline.spec_name or pipeline.spec_name not in _registry():
        raise GanzooError(
            f"{type(pipeline).__name__} is not a registered augmentation pipeline; "
            "register it through the register_augmentations hook (with a spec_name)"
        )
    return {"name": pipeline.spec_name, "config": pipeline.get_config()}


def deserialize(config: dict) -> AugmentPipeline:
    """The inverse of ``serialize``."""
    if "name" not in config:
        raise GanzooError(f"augmentation config {config!r} needs a 'name'")
    cls = _pipeline_class(config["name"])
    return cls.from_config(dict(config.get("config", {})))

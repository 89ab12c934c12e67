"""The Python entry points: list what the plugins provide, build architectures and presets."""

from __future__ import annotations

from typing import Any

from ganzoo.architecture import Architecture, Preset
from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.plugins import registries
from ganzoo.registry import unknown_name_message


def list_architectures() -> list[str]:
    """Names of every registered architecture."""
    return registries().architectures.names()


def list_losses() -> list[str]:
    """Names of every registered adversarial loss."""
    return registries().losses.names()


def list_regularizers() -> list[str]:
    """Names of every registered regularizer."""
    return registries().regularizers.names()


def get_architecture(name: str) -> Architecture:
    """The registered :class:`ganzoo.Architecture` (error lists known names)."""
    return registries().architectures.get(name)


def list_presets() -> list[tuple[str, Preset]]:
    """``(architecture name, preset)`` of every registered preset, sorted by preset name."""
    pairs = [
        (entry.name, preset)
        for entry in registries().architectures.entries()
        for preset in getattr(entry.obj, "presets", ())
    ]
    return sorted(pairs, key=lambda pair: pair[1].name)


def get_preset(name: str) -> tuple[Architecture, Preset]:
    """The architecture and preset called ``name`` (error names the closest preset)."""
    found = [(arch, p) for arch, p in list_presets() if p.name == name]
    if not found:
        known = [p.name for _, p in list_presets()]
        raise UnknownNameError(unknown_name_message("preset", name, known))
    arch_name, preset = found[0]
    return get_architecture(arch_name), preset


def build(name: str | None = None, *, preset: str | None = None, **config_overrides: Any):
    """Build an architecture with its paper's defaults, a preset and ``config_overrides``.

    ``build("dcgan", image_size=32)`` starts from the paper's defaults;
    ``build(preset="dcgan-fashion-mnist-32")`` from the preset's config, with
    ``config_overrides`` applied on top. Giving both ``name`` and ``preset``
    checks that the preset belongs to that architecture.

    Returns a compiled :class:`ganzoo.GAN`: call ``fit`` on it directly.
    Unknown config keys raise an error naming the valid ones.
    """
    overrides = dict(config_overrides)
    if preset is not None:
        arch, chosen = get_preset(preset)
        if name is not None and name != arch.name:
            raise GanzooError(
                f"preset '{preset}' is for architecture '{arch.name}', not '{name}'; "
                f"drop the architecture name or pick one of its presets"
            )
        overrides = {**chosen.config, **overrides}
    elif name is None:
        raise GanzooError("build() needs an architecture name or preset=NAME")
    else:
        arch = get_architecture(name)
    config = arch.make_config(**overrides)
    gan = arch.build(config)
    if not getattr(gan, "compiled", False):
        gan.compile()
    return gan


def load(path, **kwargs):
    """Load a saved GAN (``gan.save(path)``) in any process.

    Plugin classes (ProGAN's model and networks, spectral-norm layers...)
    register with Keras when their module is imported, and plugin modules
    import their networks only when they build one: this first imports the
    plugin modules the saved model names, so ``ganzoo.load`` works where a
    bare ``keras.saving.load_model`` may not. Regularizer classes that plugins
    register are resolved through the registry, so their authors need no
    ``register_keras_serializable``.
    """
    import keras

    # ``import ganzoo`` is lazy: register the core's Keras classes (GAN, the
    # shared layers, weight constraints) before Keras looks them up.
    import ganzoo.constraints  # noqa: F401
    import ganzoo.gan  # noqa: F401
    import ganzoo.layers  # noqa: F401

    import_saved_modules(path)
    # Keras records an undecorated class under its class name.
    registered = {cls.__name__: cls for cls in _registered_classes()}
    custom_objects = {**registered, **(kwargs.pop("custom_objects", None) or {})}
    return keras.saving.load_model(str(path), custom_objects=custom_objects, **kwargs)


def _registered_classes() -> list[type]:
    regs = registries()
    return [entry.obj for entry in regs.regularizers.entries() if isinstance(entry.obj, type)]


def import_saved_modules(path) -> list[str]:
    """Import the plugin modules that a ``.keras`` file's config names; returns them.

    Only modules of packages that provide a ``ganzoo`` entry point are
    imported (never an arbitrary module named in a file).
    """
    import importlib
    import importlib.metadata
    import json
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return []  # not a .keras archive: Keras reports what is wrong with it
    packages = {ep.value.split(".")[0]
                for ep in importlib.metadata.entry_points(group="ganzoo")}
    modules = sorted(m for m in _module_names(config) if m.split(".")[0] in packages)
    for module in modules:
        importlib.import_module(module)
    return modules


def _module_names(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_module_names(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["module"]} if isinstance(node.get("module"), str) else set()
    return found.union(*(_module_names(value) for value in node.values()))

"""What ganzoo arranges for the moment Keras is imported.

``import ganzoo`` imports no backend, yet a user may then call
``keras.saving.load_model`` directly. So ``import ganzoo`` only installs a
one-shot import hook; when Keras has been imported (or at once, if it
already was), ``ganzoo.backends.keras_hooks.on_keras_imported`` teaches
Keras to find ganzoo's classes, and those of every installed plugin, on
first lookup. Nothing here imports Keras.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import warnings


def _on_keras_imported() -> None:
    try:
        from ganzoo.backends.keras_hooks import on_keras_imported

        on_keras_imported(register_keras_classes)
    except Exception as exc:  # never break the user's ``import keras``
        warnings.warn(f"ganzoo could not register its Keras classes: {exc}", stacklevel=2)


class _AfterKerasImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the real loader of ``keras`` to run a callback after it."""

    def find_spec(self, name, path=None, target=None):
        if name != "keras":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            _on_keras_imported()

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    """Run the Keras-side set-up now if Keras is imported, else right after it is."""
    if "keras" in sys.modules:
        _on_keras_imported()
    elif not any(isinstance(f, _AfterKerasImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterKerasImport())


# Modules of the core that define Keras-serializable classes.
CORE_MODULES = ("ganzoo.gan", "ganzoo.layers", "ganzoo.constraints", "ganzoo.augment",
                "ganzoo.conditioning.head")


def register_keras_classes() -> list[str]:
    """Import every module that registers a ganzoo or plugin class with Keras.

    That is the core's modules above and every module of each installed
    plugin's package (only packages with a ``ganzoo`` entry point, never a
    module a file names). Returns the packages that failed to import, each
    also reported as a warning.
    """
    import importlib
    import importlib.metadata
    import pkgutil

    failed = []
    for name in CORE_MODULES:
        importlib.import_module(name)
    packages = sorted({ep.value.split(".")[0]
                       for ep in importlib.metadata.entry_points(group="ganzoo")})
    for package in packages:
        try:
            root = importlib.import_module(package)
            names = [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
            for name in names:
                importlib.import_module(name)
        except Exception as exc:  # a broken plugin is reported, never fatal here
            failed.append(package)
            warnings.warn(f"ganzoo plugin package '{package}' could not be imported "
                          f"for loading saved models: {exc}", stacklevel=2)
    return failed

"""The plugin manager: finds plugins through entry points and fills the registries.

The core's own plugins are plain modules named in ``DEFAULT_PLUGINS`` and
imported by name, like any entry point (so nothing here imports them, and no
import cycle runs through them). Entry points in the ``ganzoo`` group are
loaded one at a time. A plugin whose import or hook raises is skipped and every
other plugin keeps working; its error is kept as data (``load_errors()``, for
the CLI to print whatever the warnings filter) and also issued as a
``PluginWarning``. ``GANZOO_STRICT_PLUGINS=1`` turns it into an error.
``GANZOO_PLUGINS=a,b`` loads only the named entry points.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import os
import warnings
from dataclasses import dataclass, field
from types import ModuleType

import pluggy

from ganzoo import hookspecs
from ganzoo.errors import PluginError
from ganzoo.registry import Registries

ENTRY_POINT_GROUP = "ganzoo"

# plugin name -> module: the core's own plugins, one module each so that a
# failure in one (say, the metrics extractors) leaves the others working.
DEFAULT_PLUGINS = {
    "ganzoo": "ganzoo.builtins.objectives",
    "ganzoo.data": "ganzoo.builtins.datasets",
    "ganzoo.metrics": "ganzoo.builtins.feature_extractors",
    "ganzoo.tricks": "ganzoo.builtins.training_tricks",
}

# hook name -> attribute of Registries it fills
REGISTRY_HOOKS = {
    "register_architectures": "architectures",
    "register_losses": "losses",
    "register_regularizers": "regularizers",
    "register_datasets": "datasets",
    "register_feature_extractors": "feature_extractors",
    "register_augmentations": "augmentations",
    "register_importers": "importers",
    "register_conditionings": "conditionings",
}


HOOK_FOR = {attr: hook for hook, attr in REGISTRY_HOOKS.items()}


class LazyRegistries:
    """The registries of one plugin manager, each filled by its hook on first read.

    Reading ``architectures`` runs only ``register_architectures`` hooks, so
    listing architectures and presets imports no backend through the losses'
    or metrics' hooks. A plugin whose hook fails is dropped from every
    registry read so far and skipped by the others (all or nothing).
    """

    def __init__(self, manager: PluginManager):
        self.manager = manager
        self.all = Registries()
        self.filled: set[str] = set()
        self.failed: set[str] = set()

    def __getattr__(self, attr: str):
        if attr not in HOOK_FOR:
            raise AttributeError(attr)
        if attr not in self.filled:
            self.filled.add(attr)
            self.manager._fill(self, attr)
        return getattr(self.all, attr)

    def drop(self, plugin: str) -> None:
        """Remove everything ``plugin`` registered in the registries read so far."""
        for attr in self.filled:
            registry = getattr(self.all, attr)
            for entry in registry.entries():
                if entry.plugin == plugin:
                    registry.unregister(entry.name)




class PluginWarning(UserWarning):
    """A plugin failed to load or to register and was skipped."""


@dataclass
class PluginInfo:
    """What ``ganzoo plugins`` reports about one plugin."""

    name: str
    module: str
    version: str | None = None
    hooks: list[str] = field(default_factory=list)
    error: str | None = None


def strict_mode() -> bool:
    return os.environ.get("GANZOO_STRICT_PLUGINS", "").lower() in ("1", "true", "yes")


class PluginManager:
    """Loads plugins and exposes the registries they fill."""

    def __init__(self, *, load_entry_points: bool = True):
        self.pm = pluggy.PluginManager("ganzoo")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self._registries: LazyRegistries | None = None
        for name, module_name in DEFAULT_PLUGINS.items():
            self.register(importlib.import_module(module_name), name=name)
        if load_entry_points:
            self._load_entry_points()

    # -- loading -----------------------------------------------------------
    def _fail(self, info: PluginInfo, exc: BaseException, what: str) -> None:
        info.error = f"{type(exc).__name__}: {exc}"
        msg = f"ganzoo plugin '{info.name}' failed to {what}: {info.error}"
        if strict_mode():
            raise PluginError(msg) from exc
        warnings.warn(
            msg + " (skipped; set GANZOO_STRICT_PLUGINS=1 to make this an error)",
            PluginWarning,
            stacklevel=3,
        )

    def _load_entry_points(self) -> None:
        allow = os.environ.get("GANZOO_PLUGINS")
        allowed = {n.strip() for n in allow.split(",")} if allow else None
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if allowed is not None and ep.name not in allowed:
                continue
            if ep.name in self.info:
                continue  # the same distribution seen twice on sys.path
            version = ep.dist.version if ep.dist is not None else None
            info = PluginInfo(ep.name, ep.value, version)
            self.info[ep.name] = info
            try:
                module = ep.load()
                self.pm.register(module, name=ep.name)
            except Exception as exc:  # a broken plugin must not break the rest
                self._fail(info, exc, "load")
                continue
            info.hooks = self._hook_names(ep.name)

    def register(self, module: ModuleType | object, name: str) -> None:
        """Register a plugin object directly (tests, notebooks)."""
        self.pm.register(module, name=name)
        from ganzoo import __version__

        version = __version__ if name in DEFAULT_PLUGINS else None
        module_name = getattr(module, "__name__", type(module).__module__)
        self.info[name] = PluginInfo(name, module_name, version)
        self.info[name].hooks = self._hook_names(name)
        self._registries = None

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.info.pop(name, None)
        self._registries = None

    def load_errors(self, *, all_hooks: bool = True) -> dict[str, str]:
        """``plugin name -> "ErrorType: message"`` of every plugin that failed.

        With ``all_hooks`` every registry hook runs first, so errors raised in
        ``register_*`` hooks are included as well as import errors. Without it
        only the hooks already run count: ``ganzoo list`` reads architectures
        and then asks, without running the loss and metric hooks (which import
        a backend).
        """
        if all_hooks:
            for attr in REGISTRY_HOOKS.values():
                getattr(self.registries, attr)
        return {name: info.error for name, info in self.info.items() if info.error}

    def _hook_names(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        return sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])

    # -- registries --------------------------------------------------------
    @property
    def registries(self) -> LazyRegistries:
        """The registries; each is filled by its hook when first read."""
        if self._registries is None:
            self._registries = LazyRegistries(self)
        return self._registries

    def _fill(self, regs: LazyRegistries, attr: str) -> None:
        hook_name = HOOK_FOR[attr]
        registry = getattr(regs.all, attr)
        # Call each implementation on its own so an error names its plugin.
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            if impl.plugin_name in regs.failed:
                continue
            register = functools.partial(registry.register, plugin=impl.plugin_name)
            try:
                impl.function(register=register)
            except Exception as exc:
                regs.failed.add(impl.plugin_name)
                regs.drop(impl.plugin_name)
                info = self.info.setdefault(impl.plugin_name, PluginInfo(impl.plugin_name, "?"))
                self._fail(info, exc, f"run {hook_name}")

    def add_commands(self, cli: object) -> None:
        """Let plugins add CLI commands (after the built-ins)."""
        for impl in reversed(self.pm.hook.register_commands.get_hookimpls()):
            try:
                impl.function(cli=cli)
            except Exception as exc:
                info = self.info.setdefault(impl.plugin_name, PluginInfo(impl.plugin_name, "?"))
                self._fail(info, exc, "run register_commands")


_MANAGER: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager, created on first use."""
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = PluginManager()
    return _MANAGER


def reset_plugin_manager() -> None:
    """Forget the loaded plugins; the next call re-reads entry points."""
    global _MANAGER
    _MANAGER = None


def registries() -> LazyRegistries:
    """The registries filled by every loaded plugin (each on first read)."""
    return get_plugin_manager().registries


def load_errors(*, all_hooks: bool = True) -> dict[str, str]:
    """``plugin name -> error`` of the plugins that failed to load or register.

    See :meth:`PluginManager.load_errors` for ``all_hooks``.
    """
    return get_plugin_manager().load_errors(all_hooks=all_hooks)

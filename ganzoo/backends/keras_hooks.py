"""Keras internals ganzoo adjusts once Keras is imported (see ganzoo.keras_hook).

- Saved models name their classes (``"ganzoo>GAN"``, ``"ganzoo_progan>ProGAN"``);
  Keras finds a class only if its module was imported. Keras' global table of
  custom objects is given a lookup that, on the first name it lacks, imports
  ganzoo's and the installed plugins' Keras modules and looks again.
- On JAX, Keras' serialization asks "is TensorFlow available?" of every
  object it serializes (to recognise TensorFlow shapes and dtypes), and
  answering imports TensorFlow, which prints its start-up lines. An object
  can only be a TensorFlow one if TensorFlow was imported, so the answer is
  "no" until something else imports it.
- On PyTorch, Keras registers every layer's variables with torch under their
  paths (``layer_name/kernel``), and torch refuses names with a dot, so a
  layer named ``Mixed_5b.branch1x1.conv`` (the FID Inception's, after
  pytorch-fid's modules) could not be built. torch is given the path with
  dots spelled ``_dot_``; Keras' own names and paths keep their dots.
"""

from __future__ import annotations

import sys

from keras import backend
from keras.src.saving import object_registration, serialization_lib


class RegisteringLookup(dict):
    """Keras' custom-object table; a missing ``package>Name`` imports ganzoo's classes once."""

    def __init__(self, table: dict, register) -> None:
        super().__init__(table)
        self.register = register  # imports the modules that register the classes

    def __contains__(self, name):
        if super().__contains__(name):
            return True
        if self.register is None or not isinstance(name, str) or ">" not in name:
            return False
        register, self.register = self.register, None
        register()
        return super().__contains__(name)


class TensorFlowIfImported:
    """Keras' lazy ``tensorflow`` module, but available only once it has been imported."""

    def __init__(self, lazy):
        self._lazy = lazy

    @property
    def available(self):
        return "tensorflow" in sys.modules and self._lazy.available

    def __getattr__(self, name):
        return getattr(self._lazy, name)


def _torch_name(path: str) -> str:
    return path.replace(".", "_dot_")


def _torch_layer_accepts_dotted_names() -> None:
    from keras.src.backend.torch.layer import TorchLayer

    if getattr(TorchLayer, "_ganzoo_dotted_names", False):
        return

    def _track_variables(self):
        import torch

        self._torch_params = torch.nn.ParameterDict(
            {_torch_name(v.path): v.value for v in self.variables})

    def _post_track_variable(self, variable):
        if hasattr(self, "_torch_params"):
            name = _torch_name(variable.path)
            if name not in self.torch_params:
                self.torch_params[name] = variable.value

    def _post_untrack_variable(self, variable):
        if hasattr(self, "_torch_params"):
            name = _torch_name(variable.path)
            if name in self.torch_params:
                self.torch_params.pop(name)

    TorchLayer._track_variables = _track_variables
    TorchLayer._post_track_variable = _post_track_variable
    TorchLayer._post_untrack_variable = _post_untrack_variable
    TorchLayer._ganzoo_dotted_names = True


def on_keras_imported(register) -> None:
    """Install the adjustments; ``register()`` imports the modules of ganzoo's classes."""
    if not isinstance(object_registration.GLOBAL_CUSTOM_OBJECTS, RegisteringLookup):
        object_registration.GLOBAL_CUSTOM_OBJECTS = RegisteringLookup(
            object_registration.GLOBAL_CUSTOM_OBJECTS, register)
    if backend.backend() == "torch":
        _torch_layer_accepts_dotted_names()
    if backend.backend() != "tensorflow":
        if not isinstance(serialization_lib.tf, TensorFlowIfImported):
            serialization_lib.tf = TensorFlowIfImported(serialization_lib.tf)

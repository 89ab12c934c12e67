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


def on_keras_imported(register) -> None:
    """Install both adjustments; ``register()`` imports the modules of ganzoo's classes."""
    if not isinstance(object_registration.GLOBAL_CUSTOM_OBJECTS, RegisteringLookup):
        object_registration.GLOBAL_CUSTOM_OBJECTS = RegisteringLookup(
            object_registration.GLOBAL_CUSTOM_OBJECTS, register)
    if backend.backend() != "tensorflow":
        if not isinstance(serialization_lib.tf, TensorFlowIfImported):
            serialization_lib.tf = TensorFlowIfImported(serialization_lib.tf)

"""``--backend``: must take effect before Keras is first imported."""

from __future__ import annotations

import os
import sys

from ganzoo_cli.errors import CLIError

BACKENDS = ("tensorflow", "jax", "torch")


def apply_backend(name: str | None) -> None:
    if not name:
        return
    if "keras" in sys.modules:
        import keras

        if keras.backend.backend() != name:
            raise CLIError(
                f"--backend {name} was given but Keras is already running on "
                f"{keras.backend.backend()}; set KERAS_BACKEND={name} before starting"
            )
        return
    os.environ["KERAS_BACKEND"] = name

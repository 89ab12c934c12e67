"""Keras' stateless scopes: how a step's variable values are read and recorded."""

from __future__ import annotations

import keras


def current_state_mapping() -> dict | None:
    """The enclosing ``keras.StatelessScope``'s variable -> value map, if any."""
    from keras.src.backend.common.stateless_scope import get_stateless_scope

    scope = get_stateless_scope()
    return None if scope is None else scope.state_mapping


def scope_with(mapping: dict) -> keras.StatelessScope:
    """A StatelessScope reading and recording variable values in ``mapping``."""
    scope = keras.StatelessScope()
    scope.state_mapping = mapping
    return scope

"""Core plugin ``ganzoo.tricks``: the regularizers of ganzoo.tricks (CR, bCR,
zCR, LeCam, DRAGAN, max-GP), registered through the same hook as a
third-party plugin's."""

from __future__ import annotations

from ganzoo.hookspecs import hookimpl


@hookimpl
def register_regularizers(register):
    from ganzoo.tricks.consistency import CONSISTENCY_REGULARIZERS
    from ganzoo.tricks.gradient_penalties import DRAGANPenalty, MaxGradientPenalty
    from ganzoo.tricks.lecam import LeCam

    for cls in (*CONSISTENCY_REGULARIZERS, LeCam, DRAGANPenalty, MaxGradientPenalty):
        register(cls)

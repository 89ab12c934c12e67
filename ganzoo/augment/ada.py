"""``ADA``: adaptive discriminator augmentation (Karras et al. 2020).

The ``bgc`` pipeline (``ganzoo.augment.bgc``) is applied with a probability
``p`` that is steered by the overfitting heuristic r_t = E[sign(D(real))]
(``ganzoo.augment.adaptive``): D that is sure of every real is memorising
them, and gets more augmentation.
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.augment.adaptive import AdaptivePipeline
from ganzoo.augment.bgc import ALL_OPS, GROUPS, bgc
from ganzoo.errors import GanzooError


def parse_ops(value) -> list[str]:
    """``"bgc"`` (any of b, g, c) or a list of op names -> op names in pipeline order."""
    if isinstance(value, str) and value and set(value) <= set(GROUPS):
        wanted = {op for letter in value for op in GROUPS[letter]}
    else:
        wanted = set(value.split(",") if isinstance(value, str) else value)
        unknown = sorted(wanted - set(ALL_OPS))
        if unknown or not wanted:
            raise GanzooError(
                f"unknown ADA ops {unknown or value!r}; give a group string of "
                f"b (blit), g (geometric), c (colour), e.g. 'bgc', or op names from: "
                f"{', '.join(ALL_OPS)}"
            )
    return [op for op in ALL_OPS if op in wanted]


@keras.saving.register_keras_serializable(package="ganzoo")
class ADA(AdaptivePipeline):
    """Adaptive discriminator augmentation.

    Args:
        target: the r_t that p steers towards (0.6 in the paper); None keeps
            p fixed at its initial value.
        interval: discriminator steps between adjustments of p.
        kimg: thousands of real images over which p can move by 1.
        p: initial (or, with ``target=None``, fixed) augmentation probability.
        pipeline: ``"bgc"`` or a subset of its letters, or a list of op names.
        seed: seed of the own random stream (see ``AugmentPipeline.bind``).
    """

    spec_name = "ada"
    label = "ADA"
    spec_keys = ("target", "interval", "kimg", "p", "pipeline")

    def __init__(self, target: float | None = 0.6, interval: int = 4, kimg: float = 500,
                 p: float = 0.0, pipeline: str | list = "bgc", seed: int | None = None, **kwargs):
        super().__init__(target=target, interval=interval, kimg=kimg, p=p, seed=seed, **kwargs)
        self.pipeline = parse_ops(pipeline)

    def augment(self, images, random):
        return bgc(images, random, ops.convert_to_tensor(self.p), self.pipeline)

    @classmethod
    def spec_usage(cls) -> str:
        return ("ada[:TARGET][,interval=N][,kimg=K][,p=P][,pipeline=bgc] "
                "(target=none keeps p fixed)")

    def get_config(self):
        return {**super().get_config(), "pipeline": list(self.pipeline)}

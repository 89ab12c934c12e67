"""Weight constraints applied after an optimizer step (not loss terms).

``GAN.compile(d_constraint=WeightClip(0.01))`` clips every discriminator
weight after each discriminator update: WGAN's weight clipping
(Arjovsky et al. 2017). Any ``keras.constraints.Constraint`` works. In
``compile_defaults`` (which must stay JSON) give its Keras config instead:
``{"class_name": "ganzoo>WeightClip", "config": {"clip": 0.01}}``.
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.errors import GanzooError


@keras.saving.register_keras_serializable(package="ganzoo")
class WeightClip(keras.constraints.Constraint):
    """Clips every weight to [-clip, clip]."""

    def __init__(self, clip: float = 0.01):
        if clip <= 0:
            raise GanzooError(f"WeightClip clip={clip} must be > 0")
        self.clip = float(clip)

    def __call__(self, w):
        return ops.clip(w, -self.clip, self.clip)

    def get_config(self):
        return {"clip": self.clip}

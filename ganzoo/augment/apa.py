"""``APA``: adaptive pseudo augmentation (Jiang et al. 2021, "Deceive D").

In every discriminator phase each image of D's real batch is replaced, with
probability ``p``, by a generated image that D is told is real. D that
memorises its reals then sees some of its "reals" move with G, which makes
overconfidence cost it. ``p`` adapts with the heuristic r_t = E[sign(D(real))]
that ADA uses (``ganzoo.augment.adaptive``), on D's logits for the batch it
took as real, replacements included, as in the paper's code.

APA does not transform images, so its ``__call__`` returns them unchanged; it
changes which images are real, through the ``replace_reals`` hook of the D
phase (``ganzoo.phases``). The fakes are that phase's own fakes (generated
with the real batch's labels, detached from G's gradient): image ``i`` of the
real batch is replaced by fake ``i``.
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.augment.adaptive import AdaptivePipeline
from ganzoo.augment.portable_random import PortableRandom, key_from


@keras.saving.register_keras_serializable(package="ganzoo")
class APA(AdaptivePipeline):
    """Adaptive pseudo augmentation.

    Args:
        target: the r_t that p steers towards (0.6 in the paper); None keeps
            p fixed at its initial value.
        interval: discriminator steps between adjustments of p.
        kimg: thousands of real images over which p can move by 1.
        p: initial (or, with ``target=None``, fixed) probability that a real
            image is replaced by a fake.
        seed: seed of the own random stream (see ``AugmentPipeline.bind``).
    """

    spec_name = "apa"
    label = "APA"
    logged_p = "apa_p"
    logged_rt = "apa_rt"
    replaces_reals = True

    def call(self, images, training=True):
        return images  # APA chooses which images are real; it changes none

    def replace_reals(self, real, fake):
        """``real`` with each image swapped, with probability p, for the same-index fake."""
        random = PortableRandom(key_from(self.stream), ops.shape(real)[0])
        swap = random.bernoulli(ops.convert_to_tensor(self.p))  # (batch, 1)
        swap = ops.reshape(swap, (-1,) + (1,) * (len(real.shape) - 1))
        return ops.where(swap, ops.cast(ops.stop_gradient(fake), real.dtype), real)

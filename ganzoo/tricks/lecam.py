"""LeCam regularization (Tseng et al. 2021, "Regularizing Generative Adversarial
Networks under Limited Data").

Two anchors follow D's mean logit on the reals and on the fakes as
exponential moving averages (decay 0.99). The term keeps D's outputs on the
reals from rising above the fakes' anchor, and its outputs on the fakes from
falling below the reals' anchor::

    mean(relu(D(x) - anchor_fake)^2) + mean(relu(anchor_real - D(G(z)))^2)

Each D update first moves the anchors with the phase's logits, then computes
the term with the moved anchors. Before step ``start`` (1000, as
PyTorch-StudioGAN's configs) the anchors copy the latest means and the term
is 0. The anchors are the variables ``anchor_real`` and ``anchor_fake``,
made in ``build``, so they are saved in ``.keras`` files and resume.
Weight 0.3 (the paper's CIFAR setting).
"""

from __future__ import annotations

from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.regularizers import Regularizer


class LeCam(Regularizer):
    """LeCam: EMA anchors of D's mean real and fake logits (weight 0.3, decay 0.99)."""

    name = "lecam"
    default_weight = 0.3

    def __init__(self, weight=None, interval=1, decay=0.99, start=1000):
        super().__init__(weight, interval)
        if not 0.0 <= float(decay) < 1.0:
            raise GanzooError(f"lecam decay={decay}: use a value in [0, 1)")
        if isinstance(start, bool) or int(start) != start or start < 0:
            raise GanzooError(f"lecam start={start}: use a whole number of steps >= 0")
        self.decay, self.start = float(decay), int(start)

    def build(self, gan) -> None:
        self.anchor_real = self.add_variable("anchor_real")
        self.anchor_fake = self.add_variable("anchor_fake")

    def __call__(self, ctx):
        real = ops.cast(ctx.real_logits, "float32")
        fake = ops.cast(ctx.fake_logits, "float32")
        on = ops.cast(ctx.gan.step_counter >= self.start, "float32")
        decay = on * self.decay  # before ``start`` the anchors copy the means
        anchors = []
        for anchor, logits in ((self.anchor_real, real), (self.anchor_fake, fake)):
            mean = ops.stop_gradient(ops.mean(logits))
            moved = decay * ops.cast(anchor, "float32") + (1.0 - decay) * mean
            anchor.assign(moved)
            anchors.append(moved)
        anchor_real, anchor_fake = anchors
        term = (ops.mean(ops.square(ops.relu(real - anchor_fake)))
                + ops.mean(ops.square(ops.relu(anchor_real - fake))))
        return on * term

    def get_config(self):
        return {**super().get_config(), "decay": self.decay, "start": self.start}

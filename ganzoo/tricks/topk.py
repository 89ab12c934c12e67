"""Top-k training of G (Sinha et al. 2020, "Top-k Training of GANs").

In G's phase only the k fakes D rates most real (the highest logits) count
in G's loss; the others' gradients are dropped as the worst samples of the
batch. k starts at the batch size n and is multiplied by ``decay`` every
``decay_every`` steps (the paper anneals once per epoch) down to
``min_fraction`` of n::

    k = max(floor(n * decay ** (step // decay_every)), floor(n * min_fraction), 1)

with the paper's decay 0.99 and minimum 0.5. k is a function of the GAN's
step counter, so it resumes with the step; the settings are saved in the
compile config (``compile(topk=...)``). G's loss must be a mean over the
fakes of a function of each logit: a loss whose G side reads D's outputs on
the reals (``relativistic_average``) is rejected.
"""

from __future__ import annotations

import inspect

from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.registry import parse_named


class TopK:
    """Which fakes count in G's loss, and how k anneals."""

    def __init__(self, decay: float = 0.99, min_fraction: float = 0.5,
                 decay_every: int = 1000):
        if not 0.0 < float(decay) <= 1.0:
            raise GanzooError(f"topk decay={decay}: use a value in (0, 1]")
        if not 0.0 < float(min_fraction) <= 1.0:
            raise GanzooError(f"topk min_fraction={min_fraction}: use a value in (0, 1]")
        if isinstance(decay_every, bool) or int(decay_every) != decay_every or decay_every < 1:
            raise GanzooError(f"topk decay_every={decay_every}: use a whole number of steps >= 1")
        self.decay = float(decay)
        self.min_fraction = float(min_fraction)
        self.decay_every = int(decay_every)

    def check_loss(self, loss) -> None:
        if loss.generator_needs_real:
            raise GanzooError(
                f"topk does not work with loss '{loss.name}': its G loss compares each fake "
                "with D's outputs on the reals; use a loss whose G side is a mean over the fakes")

    def k(self, n, step):
        """How many fakes count for a batch of ``n`` at ``step`` (an int32 tensor)."""
        n = ops.cast(n, "float32")
        decays = ops.cast(ops.floor_divide(step, self.decay_every), "float32")
        annealed = ops.floor(n * ops.power(self.decay, decays))
        least = ops.maximum(ops.floor(n * self.min_fraction), 1.0)
        return ops.cast(ops.maximum(annealed, least), "int32")

    def mask(self, fake_logits, k):
        """1.0 for the k highest logits (ties go to the earlier sample), else 0.0."""
        logits = ops.reshape(ops.cast(fake_logits, "float32"), (-1,))
        ranks = ops.argsort(ops.argsort(-logits))
        return ops.cast(ranks < k, "float32")

    def generator_loss(self, gan, fake_logits, real_logits=None):
        """G's loss over the k fakes D rates most real (k from ``gan.step_counter``)."""
        logits = ops.reshape(ops.cast(fake_logits, "float32"), (-1,))
        k = self.k(ops.shape(logits)[0], gan.step_counter)
        per_fake = _per_fake(gan.loss_fn.generator, logits)
        return ops.sum(self.mask(logits, k) * per_fake) / ops.cast(k, "float32")

    def get_config(self) -> dict:
        return {"decay": self.decay, "min_fraction": self.min_fraction,
                "decay_every": self.decay_every}

    def __repr__(self) -> str:
        return "TopK(" + ", ".join(f"{k}={v!r}" for k, v in self.get_config().items()) + ")"


def _per_fake(generator_loss, logits):
    """G's loss of each fake alone. With a known batch size, one call per fake
    (TensorFlow's vectorized_map makes a step some 50 times slower on CPU)."""
    n = logits.shape[0]
    if n is None:
        return ops.vectorized_map(lambda x: generator_loss(ops.reshape(x, (1,)), None), logits)
    return ops.stack([ops.reshape(generator_loss(logits[i:i + 1], None), ())
                      for i in range(n)])


def to_topk(value) -> TopK | None:
    """A TopK from None/False (off), True (the paper's settings), a dict, a
    ``"decay=0.99,min_fraction=0.5"`` string or a TopK."""
    if value is None or value is False:
        return None
    if isinstance(value, TopK):
        return value
    if value is True:
        return TopK()
    if isinstance(value, str):
        value = {} if value.strip().lower() in ("", "true", "topk") else \
            parse_named("topk:" + value)[1]
    if isinstance(value, dict):
        valid = list(inspect.signature(TopK).parameters)
        unknown = sorted(set(value) - set(valid))
        if unknown:
            raise GanzooError(f"topk takes {', '.join(valid)}; got {', '.join(unknown)}")
        return TopK(**value)
    raise GanzooError(f"topk={value!r}: pass True, a dict of {{decay, min_fraction, "
                      "decay_every}} or a ganzoo.tricks.topk.TopK")

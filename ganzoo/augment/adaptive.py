"""``AdaptivePipeline``: a probability ``p`` steered by D's overfitting heuristic.

Shared by ADA (``p`` = how often each augmentation applies) and APA (``p`` =
how often a real image is replaced by a fake). After every discriminator
step ``update(real_logits)`` accumulates the signs of D's logits on the reals
it saw, and every ``interval`` steps

    r_t = E[sign(D(real))]
    p  <- clip(p + sign(r_t - target) * N / (kimg * 1000), 0, 1)

where N is the number of real images in those steps (batch * interval), so
``p`` can cross 0 -> 1 in ``kimg`` thousand images. D that is sure of every
real (r_t near 1) is memorising them: p rises. ``p``, the accumulators and
the last ``r_t`` are Keras variables (saved with the model, resumed with it,
updated inside the compiled step on every backend).
"""

from __future__ import annotations

from typing import ClassVar

import keras
from keras import ops

from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.errors import GanzooError


class AdaptivePipeline(AugmentPipeline):
    """Base of the pipelines with an adaptive ``p``; subclasses name what they log.

    Args:
        target: the r_t that p steers towards (0.6 in both papers); None keeps
            p fixed at its initial value.
        interval: discriminator steps between adjustments of p.
        kimg: thousands of real images over which p can move by 1.
        p: initial (or, with ``target=None``, fixed) probability.
        seed: seed of the own random stream (see ``AugmentPipeline.bind``).
    """

    label: ClassVar[str] = ""  # the name in error messages ("ADA")
    logged_p: ClassVar[str] = "augment_p"  # the names logged_values() uses
    logged_rt: ClassVar[str] = "augment_rt"
    spec_keys: ClassVar[tuple] = ("target", "interval", "kimg", "p")  # from_spec's options

    def __init__(self, target: float | None = 0.6, interval: int = 4, kimg: float = 500,
                 p: float = 0.0, seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        label = self.label
        if target is not None and not 0.0 <= float(target) <= 1.0:
            raise GanzooError(f"{label} target={target} must be in [0, 1] (0.6 is usual)")
        if int(interval) != interval or int(interval) < 1:
            raise GanzooError(f"{label} interval={interval} must be a whole number >= 1")
        if not float(kimg) > 0:
            raise GanzooError(f"{label} kimg={kimg} must be > 0")
        if not 0.0 <= float(p) <= 1.0:
            raise GanzooError(f"{label} p={p} must be in [0, 1]")
        self.target = None if target is None else float(target)
        self.interval = int(interval)
        self.kimg = float(kimg)
        self.initial_p = float(p)

        def state(name, value, dtype="float32"):
            return self.add_weight(shape=(), dtype=dtype, trainable=False, name=name,
                                   initializer=keras.initializers.Constant(value))

        self.p = state("p", self.initial_p)
        self.sign_sum = state("sign_sum", 0.0)  # sum of sign(D(real)) since the last adjustment
        self.real_count = state("real_count", 0.0)  # reals seen since the last adjustment
        self.calls = state("calls", 0, "int32")  # D steps since the last adjustment
        self.rt = state("rt", 0.0)  # the last r_t (logged)

    def update(self, real_logits) -> None:
        """Accumulate ``sign(real_logits)``; adjust p every ``interval`` calls."""
        if self.target is None:
            return
        logits = ops.reshape(ops.cast(real_logits, "float32"), (-1,))
        p, last_rt = ops.convert_to_tensor(self.p), ops.convert_to_tensor(self.rt)
        sign_sum = ops.convert_to_tensor(self.sign_sum) + ops.sum(ops.sign(logits))
        count = ops.convert_to_tensor(self.real_count) + ops.cast(ops.shape(logits)[0],
                                                                  "float32")
        calls = ops.convert_to_tensor(self.calls) + 1
        ready = calls >= self.interval
        rt = sign_sum / ops.maximum(count, 1.0)
        step = ops.sign(rt - self.target) * count / (self.kimg * 1000.0)
        self.p.assign(ops.where(ready, ops.clip(p + step, 0.0, 1.0), p))
        self.rt.assign(ops.where(ready, rt, last_rt))
        self.sign_sum.assign(ops.where(ready, 0.0, sign_sum))
        self.real_count.assign(ops.where(ready, 0.0, count))
        self.calls.assign(ops.where(ready, 0, calls))

    def logged_values(self) -> dict:
        values = {self.logged_p: ops.convert_to_tensor(self.p)}
        if self.target is not None:
            values[self.logged_rt] = ops.convert_to_tensor(self.rt)
        return values

    @classmethod
    def spec_usage(cls) -> str:
        """How to write the spec string (in errors)."""
        name = cls.spec_name
        return f"{name}[:TARGET][,interval=N][,kimg=K][,p=P] (target=none keeps p fixed)"

    @classmethod
    def from_spec(cls, argument):
        """``None`` -> defaults; ``"0.7"`` -> target 0.7; ``"target=none,p=0.3"``..."""
        if not argument:
            return cls()
        kwargs: dict = {}
        for part in argument.split(","):
            key, sep, value = part.partition("=")
            if not sep:
                key, value = "target", key
            key, value = key.strip(), value.strip()
            if key not in cls.spec_keys:
                raise GanzooError(f"unknown {cls.label} option '{key}' in "
                                  f"'{cls.spec_name}:{argument}'; use {cls.spec_usage()}")
            if key not in ("target", "interval", "kimg", "p"):
                kwargs[key] = value  # a subclass's own (text) option
                continue
            if key == "target" and value.lower() == "none":
                kwargs[key] = None
                continue
            try:
                kwargs[key] = int(value) if key == "interval" else float(value)
            except ValueError:
                raise GanzooError(f"{cls.label} option {key}={value!r} in "
                                  f"'{cls.spec_name}:{argument}' is not a number") from None
        return cls(**kwargs)

    def get_config(self):
        return {**super().get_config(), "target": self.target, "interval": self.interval,
                "kimg": self.kimg, "p": self.initial_p}

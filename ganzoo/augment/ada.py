"""``ADA``: adaptive discriminator augmentation (Karras et al. 2020).

The ``bgc`` pipeline (``ganzoo.augment.bgc``) is applied with a probability
``p`` that is steered by an overfitting heuristic: after every discriminator
step the signs of D's logits on (augmented) reals are accumulated, and every
``interval`` steps

    r_t = E[sign(D(real))]
    p  <- clip(p + sign(r_t - target) * N / (kimg * 1000), 0, 1)

where N is the number of real images in those steps (batch * interval), so
``p`` can cross 0 -> 1 in ``kimg`` thousand images. D that is sure of every
real (r_t near 1) is memorising them: more augmentation. ``p``, the
accumulators and the last ``r_t`` are Keras variables (saved with the model,
resumed with it, updated inside the compiled step on every backend).
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.augment.bgc import ALL_OPS, GROUPS, bgc
from ganzoo.augment.pipeline_layer import AugmentPipeline
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
class ADA(AugmentPipeline):
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

    def __init__(self, target: float | None = 0.6, interval: int = 4, kimg: float = 500,
                 p: float = 0.0, pipeline: str | list = "bgc", seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if target is not None and not 0.0 <= float(target) <= 1.0:
            raise GanzooError(f"ADA target={target} must be in [0, 1] (0.6 is usual)")
        if int(interval) != interval or int(interval) < 1:
            raise GanzooError(f"ADA interval={interval} must be a whole number >= 1")
        if not float(kimg) > 0:
            raise GanzooError(f"ADA kimg={kimg} must be > 0")
        if not 0.0 <= float(p) <= 1.0:
            raise GanzooError(f"ADA p={p} must be in [0, 1]")
        self.target = None if target is None else float(target)
        self.interval = int(interval)
        self.kimg = float(kimg)
        self.initial_p = float(p)
        self.pipeline = parse_ops(pipeline)

        def state(name, value, dtype="float32"):
            return self.add_weight(shape=(), dtype=dtype, trainable=False, name=name,
                                   initializer=keras.initializers.Constant(value))

        self.p = state("p", self.initial_p)
        self.sign_sum = state("sign_sum", 0.0)  # sum of sign(D(real)) since the last adjustment
        self.real_count = state("real_count", 0.0)  # reals seen since the last adjustment
        self.calls = state("calls", 0, "int32")  # D steps since the last adjustment
        self.rt = state("rt", 0.0)  # the last r_t (logged)

    def augment(self, images, random):
        return bgc(images, random, ops.convert_to_tensor(self.p), self.pipeline)

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
        values = {"augment_p": ops.convert_to_tensor(self.p)}
        if self.target is not None:
            values["augment_rt"] = ops.convert_to_tensor(self.rt)
        return values

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
            if key not in ("target", "interval", "kimg", "p", "pipeline"):
                raise GanzooError(
                    f"unknown ADA option '{key}' in 'ada:{argument}'; use "
                    "ada[:TARGET][,interval=N][,kimg=K][,p=P][,pipeline=bgc] "
                    "(target=none keeps p fixed)"
                )
            if key == "pipeline":
                kwargs[key] = value
                continue
            if key == "target" and value.lower() == "none":
                kwargs[key] = None
                continue
            try:
                kwargs[key] = int(value) if key == "interval" else float(value)
            except ValueError:
                raise GanzooError(
                    f"ADA option {key}={value!r} in 'ada:{argument}' is not a number"
                ) from None
        return cls(**kwargs)

    def get_config(self):
        return {**super().get_config(), "target": self.target, "interval": self.interval,
                "kimg": self.kimg, "p": self.initial_p, "pipeline": list(self.pipeline)}

"""DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for
Data-Efficient GAN Training"): cheap random transforms applied to every image
D sees, with gradients flowing back to G.

Policies, applied in the order given:

- ``color``: brightness (add U(-0.5, 0.5)), saturation (scale the distance to
  each pixel's channel mean by U(0, 2)), contrast (scale the distance to the
  image mean by U(0.5, 1.5));
- ``translation``: shift by whole pixels, up to ``translation_ratio`` of the
  size each way, zero fill;
- ``cutout``: zero a square of ``cutout_ratio`` of the size at a random place.

Every transform is drawn per sample and applied to every sample (there is no
probability p: DiffAugment always augments).
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.augment.ops import cut_out, static_hw, translate_integer
from ganzoo.augment.pipeline_layer import AugmentPipeline
from ganzoo.errors import GanzooError

DEFAULT_POLICY = "color,translation,cutout"


# The colour ops convert their input: NumPy's ``array + tensor`` fails on PyTorch.
def brightness(images, random):
    images = ops.convert_to_tensor(images)
    shift = random.uniform() - 0.5
    return images + shift[:, :, None, None]


def saturation(images, random):
    images = ops.convert_to_tensor(images)
    mean = ops.mean(images, axis=-1, keepdims=True)
    factor = random.uniform() * 2.0
    return (images - mean) * factor[:, :, None, None] + mean


def contrast(images, random):
    images = ops.convert_to_tensor(images)
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    factor = random.uniform() + 0.5
    return (images - mean) * factor[:, :, None, None] + mean


def translation(images, random, ratio: float):
    height, width, _ = static_hw(images)
    # int(x + 0.5): round half up, as the reference does
    shift_h, shift_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    ty = random.integers(-shift_h, shift_h + 1)[:, 0]
    tx = random.integers(-shift_w, shift_w + 1)[:, 0]
    return translate_integer(images, ty, tx)


def cutout(images, random, ratio: float):
    height, width, _ = static_hw(images)
    size_h, size_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    # The square's centre is uniform on the image (one more position for odd
    # sizes), so it may hang over the border, as in the reference.
    cy = random.integers(0, height + (1 - size_h % 2))[:, 0]
    cx = random.integers(0, width + (1 - size_w % 2))[:, 0]
    return cut_out(images, cy - size_h // 2, cx - size_w // 2, size_h, size_w)


POLICIES = {
    "color": lambda x, r, pipe: contrast(saturation(brightness(x, r), r), r),
    "translation": lambda x, r, pipe: translation(x, r, pipe.translation_ratio),
    "cutout": lambda x, r, pipe: cutout(x, r, pipe.cutout_ratio),
}


def parse_policy(policy: str | list | tuple) -> list[str]:
    """``"color,translation"`` -> ``["color", "translation"]``; unknown names are errors."""
    names = policy.split(",") if isinstance(policy, str) else list(policy)
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise GanzooError(
            f"DiffAugment policy {policy!r} is empty; give some of: {', '.join(POLICIES)}"
        )
    for name in names:
        if name not in POLICIES:
            raise GanzooError(
                f"unknown DiffAugment policy '{name}'; known: {', '.join(POLICIES)} "
                "(combine them with commas, e.g. 'color,translation,cutout')"
            )
    return names


@keras.saving.register_keras_serializable(package="ganzoo")
class DiffAugment(AugmentPipeline):
    """DiffAugment with a comma-separated ``policy`` (default all three).

    Args:
        policy: ``"color"``, ``"translation"``, ``"cutout"`` or a comma-separated
            combination, applied in that order.
        translation_ratio: largest shift, as a fraction of the image size.
        cutout_ratio: side of the cut-out square, as a fraction of the size.
        seed: seed of the own random stream (see ``AugmentPipeline.bind``).
    """

    spec_name = "diffaugment"

    def __init__(self, policy: str | list = DEFAULT_POLICY, translation_ratio: float = 0.125,
                 cutout_ratio: float = 0.5, seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.policy = parse_policy(policy)
        for label, ratio in (("translation_ratio", translation_ratio),
                             ("cutout_ratio", cutout_ratio)):
            if not 0.0 <= float(ratio) <= 1.0:
                raise GanzooError(f"DiffAugment {label}={ratio} must be in [0, 1]")
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)

    def augment(self, images, random):
        for name in self.policy:
            images = POLICIES[name](images, random, self)
        return images

    @classmethod
    def from_spec(cls, argument):
        return cls(policy=argument or DEFAULT_POLICY)

    def get_config(self):
        return {**super().get_config(), "policy": ",".join(self.policy),
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio}

"""Consistency regularization of D: CR, bCR and zCR.

- ``cr`` (Zhang et al. 2020, "Consistency Regularization for GANs"): D's
  logits on the reals should not change under a semantics-preserving
  augmentation T: ``mean((D(x) - D(T(x)))^2)``, weight 10.
- ``bcr`` (Zhao et al. 2021, "Improved Consistency Regularization for GANs"):
  the same on the reals (``cr``, weight 10) and on the fakes (``cr_fake``,
  weight 10). ``bcr`` installs those two.
- ``zcr`` (same paper): fakes from nearby latents. D's term ``zcr_d`` pulls
  its logits together, ``mean((D(G(z)) - D(G(z + sigma * n)))^2)``, weight
  20; G's term ``zcr_g`` pushes the images apart,
  ``-mean((G(z) - G(z + sigma * n))^2)``, weight 0.5; sigma 0.05 and n
  standard normal. ``zcr`` installs both.

T is PyTorch-StudioGAN's CR augmentation: a horizontal flip with probability
1/2, then a shift by whole pixels of up to ``translation`` of the size each
way (ganzoo's ``translate_integer``, which fills with zeros where the
reference reflects). Both are drawn per image from the GAN's seeded stream.
D sees T(x) through ``gan.discriminate``, so ``compile(augment=...)`` applies
on top as it does to every image D sees. The weights are those of the papers
(and PyTorch-StudioGAN's configs).
"""

from __future__ import annotations

from keras import ops

from ganzoo.augment.ops import static_hw, translate_integer
from ganzoo.errors import GanzooError
from ganzoo.regularizers import GENERATOR, Regularizer


def cr_augment(gan, images, flip: bool = True, translation: float = 0.125):
    """T(images): random horizontal flip (p = 1/2), then a random integer shift."""
    images = ops.cast(images, "float32")
    height, width, _ = static_hw(images)
    n = ops.shape(images)[0]
    if flip:
        flipped = ops.cast(gan.sample_uniform((n, 1, 1, 1)) < 0.5, "float32")
        images = flipped * ops.flip(images, axis=2) + (1.0 - flipped) * images
    shift_h, shift_w = int(height * translation), int(width * translation)
    if shift_h or shift_w:
        shifts = []
        for most in (shift_h, shift_w):
            u = gan.sample_uniform((n,))
            shifts.append(ops.cast(ops.floor(u * (2 * most + 1)), "int32") - most)
        images = translate_integer(images, *shifts)
    return images


def check_images(gan, name: str) -> None:
    """CR's augmentation flips and shifts images: D must take NHWC images."""
    inputs = getattr(gan.discriminator, "inputs", None)
    if not inputs:
        return  # a subclassed D: the trace checks the shape
    shape = tuple(inputs[0].shape)
    if len(shape) != 4:
        raise GanzooError(
            f"regularizer '{name}' flips and shifts images, but the discriminator takes "
            f"inputs of shape {shape}; use it with an image GAN (zcr works on any data)")


class _AugmentConsistency(Regularizer):
    default_weight = 10.0

    def __init__(self, weight=None, interval=1, flip=True, translation=0.125):
        super().__init__(weight, interval)
        if not 0.0 <= float(translation) < 0.5:
            raise GanzooError(f"{self.name} translation={translation}: use a fraction in [0, 0.5)")
        self.flip, self.translation = bool(flip), float(translation)

    def build(self, gan) -> None:
        check_images(gan, self.name)

    def consistency(self, ctx, images, logits):
        augmented = cr_augment(ctx.gan, images, self.flip, self.translation)
        other = ops.cast(ctx.discriminate(augmented), "float32")
        return ops.mean(ops.square(ops.cast(logits, "float32") - other))

    def get_config(self):
        return {**super().get_config(), "flip": self.flip, "translation": self.translation}


class ConsistencyRegularization(_AugmentConsistency):
    """CR: mean((D(x) - D(T(x)))^2) on the reals (weight 10)."""

    name = "cr"

    def __call__(self, ctx):
        return self.consistency(ctx, ctx.real, ctx.real_logits)


class FakeConsistency(_AugmentConsistency):
    """bCR's fake term: mean((D(G(z)) - D(T(G(z))))^2) (weight 10)."""

    name = "cr_fake"

    def __call__(self, ctx):
        return self.consistency(ctx, ctx.fake, ctx.fake_logits)


class BalancedConsistency(Regularizer):
    """bCR: ``cr`` on the reals and ``cr_fake`` on the fakes, weights 10 and 10."""

    name = "bcr"

    def __init__(self, real_weight=10.0, fake_weight=10.0, interval=1, flip=True,
                 translation=0.125):
        super().__init__(1.0, interval)
        self.real_weight, self.fake_weight = float(real_weight), float(fake_weight)
        self.options = {"interval": interval, "flip": flip, "translation": translation}

    def parts(self):
        return [ConsistencyRegularization(self.real_weight, **self.options),
                FakeConsistency(self.fake_weight, **self.options)]

    def get_config(self):
        return {"real_weight": self.real_weight, "fake_weight": self.fake_weight, **self.options}


def _nearby_latents(ctx, sigma: float, name: str):
    if ctx.z is None:
        raise GanzooError(f"regularizer '{name}' needs the phase's latents (StepContext.z)")
    return ctx.z + sigma * ctx.gan.sample_latent(ops.shape(ctx.z)[0])


def _check_sigma(name: str, sigma) -> float:
    if not float(sigma) > 0:
        raise GanzooError(f"{name} sigma={sigma}: use a radius > 0")
    return float(sigma)


class LatentConsistencyD(Regularizer):
    """zCR's D term: mean((D(G(z)) - D(G(z + sigma n)))^2) (weight 20, sigma 0.05)."""

    name = "zcr_d"
    default_weight = 20.0

    def __init__(self, weight=None, interval=1, sigma=0.05):
        super().__init__(weight, interval)
        self.sigma = _check_sigma(self.name, sigma)

    def __call__(self, ctx):
        near = ops.stop_gradient(ctx.gan.generator_forward(
            _nearby_latents(ctx, self.sigma, self.name), ctx.labels, training=True))
        other = ops.cast(ctx.discriminate(near), "float32")
        return ops.mean(ops.square(ops.cast(ctx.fake_logits, "float32") - other))

    def get_config(self):
        return {**super().get_config(), "sigma": self.sigma}


class LatentConsistencyG(LatentConsistencyD):
    """zCR's G term: -mean((G(z) - G(z + sigma n))^2) (weight 0.5, sigma 0.05)."""

    name = "zcr_g"
    target = GENERATOR
    default_weight = 0.5

    def __call__(self, ctx):
        near = ctx.gan.generator_forward(
            _nearby_latents(ctx, self.sigma, self.name), ctx.labels, training=True)
        diff = ops.cast(ctx.fake, "float32") - ops.cast(near, "float32")
        return -ops.mean(ops.square(diff))


class LatentConsistency(Regularizer):
    """zCR: ``zcr_d`` (weight 20) and ``zcr_g`` (weight 0.5), sigma 0.05."""

    name = "zcr"

    def __init__(self, d_weight=20.0, g_weight=0.5, sigma=0.05, interval=1):
        super().__init__(1.0, interval)
        self.d_weight, self.g_weight = float(d_weight), float(g_weight)
        self.sigma = _check_sigma(self.name, sigma)

    def parts(self):
        return [LatentConsistencyD(self.d_weight, self.interval, self.sigma),
                LatentConsistencyG(self.g_weight, self.interval, self.sigma)]

    def get_config(self):
        return {"d_weight": self.d_weight, "g_weight": self.g_weight, "sigma": self.sigma,
                "interval": self.interval}


CONSISTENCY_REGULARIZERS = [ConsistencyRegularization, FakeConsistency, BalancedConsistency,
                            LatentConsistencyD, LatentConsistencyG, LatentConsistency]

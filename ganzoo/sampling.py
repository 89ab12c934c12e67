"""Sampling from a trained GAN: latents, truncation, standing statistics, ``generate``.

``Sampling`` is a mixin of ``ganzoo.GAN``; everything here runs outside the
train step, in NumPy where it can, so the same seed gives the same latents on
every backend.

Two truncation tricks:

- ``truncation=t`` (BigGAN, Brock et al. 2019): every latent coordinate whose
  magnitude exceeds t is resampled; batch norm then uses standing statistics.
- ``truncation_psi=psi`` (StyleGAN): the architecture pulls its intermediate
  latent w towards the average w; it is passed to
  ``generator_forward(..., truncation_psi=psi)`` of a GAN class that declares
  ``has_w_space = True`` (a style-based one); on others it is an error.
"""

from __future__ import annotations

import contextlib

import keras
import numpy as np
from keras import ops

from ganzoo import backends
from ganzoo.errors import GanzooError


class Sampling:
    """Sampling methods of ``ganzoo.GAN`` (needs ``latent_dim``, ``num_classes``,
    ``generator``, ``ema_generator`` and ``generator_forward``)."""

    # A style-based GAN class sets it True and provides the W-space members
    # ganzoo.gan lists (generator_forward takes truncation_psi...).
    has_w_space: bool = False
    _standing_for = None  # id of the generator inside standing_statistics

    def latents(self, n: int, seed: int | None = None, truncation: float | None = None):
        """``n`` latent vectors from a NumPy stream (identical on every backend).

        With ``truncation=t`` every coordinate whose magnitude exceeds t is
        resampled until none does (BigGAN's truncation trick).
        """
        rng = np.random.default_rng(seed)
        z = rng.standard_normal((n, self.latent_dim)).astype("float32")
        if truncation is not None:
            if truncation <= 0:
                raise GanzooError(f"truncation={truncation} must be > 0")
            bad = np.abs(z) > truncation
            while bad.any():
                z[bad] = rng.standard_normal(int(bad.sum())).astype("float32")
                bad = np.abs(z) > truncation
        return z

    def labels_for(self, n: int, labels=None):
        """Class labels for ``n`` samples: given ones checked, else 0, 1, ..., K-1 cycling."""
        if not self.num_classes:
            if labels is not None:
                raise GanzooError("labels were given but this GAN is unconditional")
            return None
        if labels is None:
            return np.arange(n, dtype="int32") % self.num_classes
        labels = np.broadcast_to(np.asarray(labels, dtype="int32"), (n,)).copy()
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise GanzooError(
                f"labels must be in [0, {self.num_classes - 1}], got "
                f"{labels.min()}..{labels.max()}"
            )
        return labels

    def sampling_generator(self, use_ema: bool = True) -> keras.Model:
        """The EMA generator when asked for and present, else the trained one."""
        return self.ema_generator if use_ema and self.ema_generator else self.generator

    @contextlib.contextmanager
    def standing_statistics(self, truncation: float | None = None, *, use_ema: bool = True,
                            num_batches: int = 16, batch_size: int = 256, seed: int = 0):
        """Batch-norm statistics re-estimated for the latents being sampled.

        A generator's moving statistics were gathered on untruncated latents;
        truncated ones give smaller activations, which those statistics do not
        renormalise, so samples lose contrast. Inside this context every
        BatchNormalization layer of the sampling generator holds the average
        batch statistics of ``num_batches`` batches drawn at ``truncation``
        (BigGAN's "standing statistics"); on exit every variable is restored.
        ``generate`` enters it whenever ``truncation`` is set; inside an outer
        ``standing_statistics`` it keeps the outer statistics. A generator
        without batch norm is left as it is.
        """
        generator = self.sampling_generator(use_ema)
        norms = [layer for layer in backends.layers_of(generator)
                 if isinstance(layer, keras.layers.BatchNormalization)]
        if not norms or self._standing_for == id(generator):
            yield
            return
        saved = [(v, ops.convert_to_numpy(v)) for v in generator.variables]
        settings = [(layer, layer.momentum, layer.trainable) for layer in norms]
        self._standing_for = id(generator)
        try:
            for layer in norms:
                layer.trainable = True  # BN updates its statistics only when trainable
            for i in range(num_batches):
                for layer in norms:
                    layer.momentum = i / (i + 1)  # a running mean over the batches
                z = self.latents(batch_size, seed + i, truncation)
                self.generator_forward(z, self.labels_for(batch_size), True, generator)
            statistics = {id(v) for layer in norms
                          for v in (layer.moving_mean, layer.moving_variance)}
            for v, value in saved:  # e.g. spectral norm's power-iteration vectors
                if id(v) not in statistics:
                    v.assign(value)
            yield
        finally:
            self._standing_for = None
            for layer, momentum, trainable in settings:
                layer.momentum, layer.trainable = momentum, trainable
            for v, value in saved:
                v.assign(value)

    def _psi_kwargs(self, truncation_psi) -> dict:
        if truncation_psi is None:
            return {}
        if not self.has_w_space:
            raise GanzooError(
                f"truncation_psi needs a style-based architecture ({type(self).__name__} "
                "has no W space); use truncation= instead"
            )
        return {"truncation_psi": float(truncation_psi)}

    def generate_from_latents(self, z, labels=None, use_ema: bool = True, batch_size=256,
                              truncation_psi: float | None = None):
        """Images in [-1, 1] (NumPy, NHWC) for the given latents.

        ``truncation_psi`` is passed to ``generator_forward`` (style-based
        architectures only).
        """
        extra = self._psi_kwargs(truncation_psi)
        z = np.asarray(z, dtype="float32")
        labels = self.labels_for(len(z), labels)
        generator = self.sampling_generator(use_ema)
        out = []
        for start in range(0, len(z), batch_size):
            batch_labels = None if labels is None else labels[start : start + batch_size]
            images = self.generator_forward(
                z[start : start + batch_size], batch_labels, False, generator, **extra
            )
            out.append(ops.convert_to_numpy(ops.cast(images, "float32")))
        return np.concatenate(out) if out else np.zeros((0,))

    def generate(self, n: int, seed: int | None = None, labels=None, truncation=None,
                 use_ema: bool = True, batch_size: int = 256,
                 truncation_psi: float | None = None):
        """``n`` images in [-1, 1] (NumPy, NHWC), from the EMA generator if any.

        ``labels`` (an int or n ints) picks classes for conditional models;
        by default classes cycle 0, 1, ..., K-1. With ``truncation`` the
        latents are truncated and batch norm uses standing statistics
        (see ``standing_statistics``); ``truncation_psi`` truncates in a
        style-based architecture's W space instead.
        """
        self._psi_kwargs(truncation_psi)  # fail before any work
        z = self.latents(n, seed, truncation)
        args = (z, labels, use_ema, batch_size, truncation_psi)
        if truncation is None:
            return self.generate_from_latents(*args)
        with self.standing_statistics(truncation, use_ema=use_ema):
            return self.generate_from_latents(*args)

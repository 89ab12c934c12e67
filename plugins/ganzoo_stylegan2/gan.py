"""``StyleGAN2``: a ganzoo.GAN with style mixing, truncation in W and the reference's EMA.

What the generic step does not know about StyleGAN lives here, in
``generator_forward`` (the extension point every architecture may override):

- **Style mixing** (Karras et al. 2019, §3.1): in training, with probability
  ``style_mixing_prob``, the w's from ``cutoff`` on come from a second
  latent; ``cutoff`` is drawn uniformly in [1, num_ws), once per batch, from
  the model's seeded stream (as the reference's ``run_G``).
- **Truncation in W**: ``truncation_psi`` moves the first
  ``truncation_cutoff`` w's toward the tracked mean ``w_avg``.
- **Class conditioning** (``num_classes > 0``, the reference's ``c_dim``):
  the mapping network takes ``[z, labels]`` (every W-space member below
  takes ``labels``; a mixing latent keeps its image's labels). ``w_avg`` is
  one mean over all classes, so truncation pulls every class toward the same
  w, as the reference's does.
- **The W space the path-length regularizer needs** (``mapping_forward``,
  ``synthesis_forward``, ``sample_path_noise``, ``sample_noise_maps``; the
  regularizer itself is ``regularizers.PathLengthPenalty``).
- **EMA of G with the reference's ramp-up** (``current_ema_decay``): the decay of a step is
  ``0.5 ** (batch / ema_nimg)`` with ``ema_nimg = min(ema_kimg * 1000,
  images_seen * ema_rampup)``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo_stylegan2.layers import NoiseMaps


def mix_styles(ws, other_ws, cutoff):
    """ws with the w's at layers >= ``cutoff`` taken from ``other_ws``."""
    layer = ops.arange(ws.shape[1])[None, :, None]
    return ops.where(layer < cutoff, ws, other_ws)


@keras.saving.register_keras_serializable(package="ganzoo_stylegan2")
class StyleGAN2(GAN):
    """StyleGAN2 (Karras et al. 2020) on the ganzoo.GAN step.

    Args:
        generator: a StyleGAN2Generator (``mapping``, ``synthesis``, ``num_ws``).
        discriminator: a StyleGAN2Discriminator.
        latent_dim: size of z.
        style_mixing_prob: probability of mixing two latents in a training forward pass.
        ema_kimg: EMA half-life in thousands of images; None uses ``compile(ema_decay=)``.
        ema_rampup: the half-life is at most ``images_seen * ema_rampup`` (0 = off).
        images_per_step: the batch size the EMA half-life is counted in.
        **kwargs: ganzoo.GAN's (``use_ema``, ``compile_defaults``, ``seed``).
    """

    has_w_space = True  # mapping_forward, synthesis_forward, map_latents... below

    def __init__(self, generator, discriminator, latent_dim, style_mixing_prob=0.9,
                 ema_kimg=None, ema_rampup=0.0, images_per_step=32, **kwargs):
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        self.style_mixing_prob = float(style_mixing_prob)
        self.ema_kimg = None if ema_kimg is None else float(ema_kimg)
        self.ema_rampup = float(ema_rampup)
        self.images_per_step = int(images_per_step)

    # -- W space -----------------------------------------------------------------
    def mixing_cutoff(self):
        """This batch's crossover layer: uniform in [1, num_ws) with probability
        ``style_mixing_prob``, else num_ws (no mixing)."""
        num_ws = self.generator.num_ws
        cutoff = keras.random.randint((), 1, num_ws, seed=self.seed_generator)
        mix = keras.random.uniform((), seed=self.seed_generator) < self.style_mixing_prob
        return ops.where(mix, cutoff, num_ws)

    def sample_path_noise(self, shape):
        """N(0, 1) images for the path-length regularizer, from the model's stream."""
        return keras.random.normal(shape, seed=self.seed_generator)

    def mapping_inputs(self, z, labels=None):
        """What the mapping network takes: ``z``, or ``[z, labels]`` when conditional."""
        if not self.num_classes:
            return z
        if labels is None:
            raise GanzooError(f"this StyleGAN2 is class-conditional ({self.num_classes} "
                              "classes): give labels")
        return [z, labels]

    def mapping_forward(self, z, training=False, generator=None, labels=None):
        """z (and labels) -> ws, style-mixed in training (``style_mixing_prob > 0``);
        the second latent of a mix has the same labels."""
        generator = generator or self.generator
        ws = generator.mapping(self.mapping_inputs(z, labels), training=training)
        if training and self.style_mixing_prob > 0:
            cutoff = self.mixing_cutoff()
            other_z = self.sample_latent(ops.shape(z)[0])
            other = generator.mapping(self.mapping_inputs(other_z, labels),
                                      training=training, update_w_avg=False)
            ws = mix_styles(ws, other, cutoff)
        return ws

    def generator_forward(self, z, labels=None, training: bool = False, generator=None,
                          truncation_psi=None, truncation_cutoff=None):
        generator = generator or self.generator
        ws = self.mapping_forward(z, training, generator, labels)
        ws = generator.mapping.truncate(ws, truncation_psi, truncation_cutoff)
        return self.synthesis_forward(ws, training, generator)

    def sample_noise_maps(self, n, generator=None) -> NoiseMaps:
        """The random noise inputs of a training synthesis pass over ``n`` images,
        drawn now from the model's stream (for ``synthesis_forward(noise=)``)."""
        return NoiseMaps((generator or self.generator).synthesis, n, self.seed_generator)

    def synthesis_forward(self, ws, training: bool = False, generator=None, noise=None):
        """ws -> images: in training the noise inputs are random, from the model's
        stream (saved with it, so a resumed run draws the same), or ``noise``
        (``sample_noise_maps``) if given; otherwise the fixed maps."""
        source = noise if noise is not None else self.seed_generator
        return (generator or self.generator).synthesize(
            ws, training=training, seed_generator=source if training else None)

    # -- sampling ------------------------------------------------------------------
    # The W-space members a GAN with ``has_w_space`` provides (``ganzoo.latent.interpolate_w``,
    # ``ganzoo interpolate --space w`` and ``ganzoo mix`` use them).
    def map_latents(self, z, use_ema: bool = True, truncation_psi=None,
                    labels=None) -> np.ndarray:
        """z (N, latent_dim) -> ws (N, num_ws, w_dim) of the sampling generator,
        truncated toward its mean w by ``truncation_psi`` (NumPy). ``labels``
        as ``generate``'s (conditional GANs; classes cycle if None)."""
        generator = self.sampling_generator(use_ema)
        ws = generator.mapping(self._sampling_inputs(z, labels))
        return ops.convert_to_numpy(generator.mapping.truncate(ws, truncation_psi))

    def _sampling_inputs(self, z, labels):
        z = np.asarray(z, "float32")
        return self.mapping_inputs(z, self.labels_for(len(z), labels))

    def generate_from_ws(self, ws, use_ema: bool = True, batch_size: int = 256) -> np.ndarray:
        """Images in [-1, 1] (NumPy, NHWC) for ws (N, num_ws, w_dim), with the
        fixed noise maps, as ``generate``."""
        generator = self.sampling_generator(use_ema)
        ws = np.asarray(ws, "float32")
        out = [ops.convert_to_numpy(self.synthesis_forward(ws[i:i + batch_size], False,
                                                           generator))
               for i in range(0, len(ws), batch_size)]
        return np.concatenate(out)

    def style_mix(self, coarse_z, fine_z, crossover: int, use_ema: bool = True,
                  truncation_psi=None, labels=None):
        """Images whose w's before ``crossover`` come from ``coarse_z`` and the
        rest from ``fine_z`` (pairwise; the StyleGAN paper's Figure 3). A
        conditional GAN maps both latents of a pair with its label (``labels``
        as ``generate``'s)."""
        generator = self.sampling_generator(use_ema)
        labels = self.labels_for(len(coarse_z), labels)
        coarse = generator.mapping(self._sampling_inputs(coarse_z, labels))
        fine = generator.mapping(self._sampling_inputs(fine_z, labels))
        ws = mix_styles(coarse, fine, crossover)
        ws = generator.mapping.truncate(ws, truncation_psi)
        return ops.convert_to_numpy(generator.synthesize(ws))

    # -- EMA with the reference's ramp-up ------------------------------------------
    def current_ema_decay(self):
        """This step's EMA decay (images seen before it: ``step * images_per_step``)."""
        if self.ema_kimg is None:
            return super().current_ema_decay()
        ema_nimg = self.ema_kimg * 1000.0
        if self.ema_rampup > 0:
            seen = ops.cast(self.step_counter, "float32") * self.images_per_step
            ema_nimg = ops.minimum(ema_nimg, seen * self.ema_rampup)
        return ops.power(0.5, self.images_per_step / ops.maximum(ema_nimg, 1e-8))

    def get_config(self):
        return {**super().get_config(), "style_mixing_prob": self.style_mixing_prob,
                "ema_kimg": self.ema_kimg, "ema_rampup": self.ema_rampup,
                "images_per_step": self.images_per_step}

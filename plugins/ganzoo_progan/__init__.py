"""ProGAN: Karras et al. 2018, "Progressive Growing of GANs for Improved Quality,
Stability, and Variation" (ICLR 2018, arXiv:1710.10196).

Modules: ``config`` (config and presets), ``generator``, ``discriminator``,
``blocks`` (the growing blocks and their resampling), ``schedule`` (the
growth stages: which level trains when, and ``alpha``), ``gan`` (the
``ganzoo.GAN`` subclass that fades between resolutions) and ``plugin``
(compile defaults, build, training stages, hooks). Importing this package or
``plugin`` does not import Keras.
"""

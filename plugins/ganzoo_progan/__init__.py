"""ProGAN: Karras et al. 2018, "Progressive Growing of GANs for Improved Quality,
Stability, and Variation" (ICLR 2018, arXiv:1710.10196).

Modules: ``config`` (config and presets), ``generator``, ``discriminator``,
``blocks`` (with ``resample``: the growing blocks), ``schedule`` (the phases),
``gan`` (the ``ganzoo.GAN`` subclass that fades between resolutions) and
``plugin`` (hooks, architecture, build). Importing this package or ``plugin``
does not import Keras.
"""

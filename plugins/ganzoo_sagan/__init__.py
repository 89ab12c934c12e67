"""SAGAN: Zhang, Goodfellow, Metaxas & Odena 2019, "Self-Attention Generative
Adversarial Networks" (ICML 2019, arXiv:1805.08318).

Also the base of ``ganzoo_biggan``: the SN ResNet blocks, the projection
discriminator and the shared config fields live here.

Modules: ``config`` (configs, channel tables and presets), ``generator``,
``discriminator``, ``blocks`` and ``plugin`` (hooks, architecture, build).
Importing this package or ``plugin`` does not import Keras.
"""

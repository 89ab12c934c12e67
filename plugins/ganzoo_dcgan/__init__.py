"""DCGAN and the conditional GAN: ``dcgan`` and ``cgan``.

- DCGAN: Radford, Metz & Chintala 2016, "Unsupervised Representation Learning
  with Deep Convolutional Generative Adversarial Networks" (arXiv:1511.06434).
- CGAN: Mirza & Osindero 2014, "Conditional Generative Adversarial Nets"
  (arXiv:1411.1784), here on the DCGAN networks.

Modules: ``config`` (configs and presets), ``generator``, ``discriminator``,
``blocks`` (the shared conv stacks) and ``plugin`` (hooks, architectures,
build). Importing this package or ``plugin`` does not import Keras.
"""

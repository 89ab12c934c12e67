"""The Wasserstein family and LSGAN: ``wgan``, ``wgan-gp`` and ``lsgan``.

- WGAN: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN" (arXiv:1701.07875).
- WGAN-GP: Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"
  (arXiv:1704.00028).
- LSGAN: Mao et al. 2017, "Least Squares Generative Adversarial Networks"
  (arXiv:1611.04076).

Modules: ``config`` (configs and presets), ``generator``, ``discriminator``
(the critics), ``blocks`` (layer norm, ResNet blocks) and ``plugin`` (hooks,
architectures, build). Importing this package or ``plugin`` does not import Keras.
"""

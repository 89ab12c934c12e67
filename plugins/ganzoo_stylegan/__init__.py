"""StyleGAN: Karras, Laine & Aila 2019, "A Style-Based Generator Architecture for
Generative Adversarial Networks" (CVPR 2019, arXiv:1812.04948).

Modules: ``config`` (the official defaults and presets), ``generator`` (AdaIN
synthesis on StyleGAN2's mapping network), ``discriminator`` (StyleGAN2's
plain one, or the official one), ``gan`` (``StyleGAN``), ``importer`` (NVIDIA's
TensorFlow pickles, format ``stylegan-tf``) and ``plugin``. Importing this package or ``plugin``
does not import Keras.
"""

"""BigGAN: Brock, Donahue & Simonyan 2019, "Large Scale GAN Training for High
Fidelity Natural Image Synthesis" (ICLR 2019, arXiv:1809.11096).

Builds on ``ganzoo_sagan``: the same SN ResNet blocks and projection
discriminator, with a shared class embedding, hierarchical latents,
orthogonal regularization and an EMA of the generator. The truncation trick
is ``GAN.generate(truncation=...)`` in the core.

Modules: ``config`` (config and presets), ``generator``, ``discriminator``
(SAGAN's, orthogonally initialised), ``blocks`` (the latent split),
``importer`` (BigGAN-PyTorch's and PyTorch-StudioGAN's files) and
``plugin`` (hooks, architecture, build). Importing this package or ``plugin``
does not import Keras.
"""

"""BigGAN: Brock, Donahue & Simonyan 2019, "Large Scale GAN Training for High
Fidelity Natural Image Synthesis" (ICLR 2019, arXiv:1809.11096).

Builds on ``ganzoo_sagan``: the same SN ResNet blocks and projection
discriminator, with a shared class embedding, hierarchical latents,
orthogonal regularization and an EMA of the generator. The truncation trick
is ``GAN.generate(truncation=...)`` in the core. A second architecture,
``biggan-deep`` (the paper's Appendix B), has bottleneck blocks, two per
resolution, and feeds the whole z to every block.

Modules: ``config`` (both configs and presets), ``generator``,
``discriminator`` (SAGAN's, orthogonally initialised; BigGAN-deep's),
``blocks`` (the latent split, BigGAN-deep's blocks), ``importer``
(BigGAN-PyTorch's and PyTorch-StudioGAN's files) and
``plugin`` (hooks, architectures, build). Importing this package or ``plugin``
does not import Keras.
"""

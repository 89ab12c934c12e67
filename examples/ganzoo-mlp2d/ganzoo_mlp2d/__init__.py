"""Example ganzoo plugin: an MLP GAN for 2-D points.

Modules: ``config``, ``generator``, ``discriminator``, ``blocks``,
``regularizers``, ``data`` (the toy ring) and ``plugin`` (the hooks).
"""

"""StyleGAN2: Karras et al. 2020, "Analyzing and Improving the Image Quality of
StyleGAN" (CVPR 2020, arXiv:1912.04958), as configured in NVlabs'
stylegan2-ada-pytorch.

Modules: ``config`` (the reference's cfgs and presets), ``generator``
(mapping + skip synthesis network), ``discriminator`` (residual or plain),
``layers`` (mapping, modulated synthesis layers, FIR resampling), ``gan``
(``StyleGAN2``: style mixing, truncation in W, the EMA ramp-up),
``regularizers`` (path-length regularization) and ``plugin`` (compile
defaults, build, architecture, hooks).
Importing this package or ``plugin`` does not import Keras.
"""

"""Regularizers and training tricks of PyTorch-StudioGAN's breadth, as built-in plugins.

The regularizers register through ``register_regularizers`` (the
``ganzoo.tricks`` entry of ``ganzoo.plugins.DEFAULT_PLUGINS``, module
ganzoo.builtins.training_tricks), exactly as a third-party plugin's would:

- ``consistency``: CR (``cr``), bCR (``bcr`` = ``cr`` + ``cr_fake``) and zCR
  (``zcr`` = ``zcr_d`` + ``zcr_g``), Zhang et al. 2020 and Zhao et al. 2021;
- ``lecam``: LeCam regularization (``lecam``), Tseng et al. 2021;
- ``gradient_penalties``: DRAGAN (``dragan``), Kodali et al. 2017, and the
  maximum gradient penalty (``maxgp``).

Three tricks change the train step rather than add a penalty, and are
``GAN.compile`` arguments:

- ``topk``: top-k training of G (Sinha et al. 2020), ``compile(topk=True)``;
- ``freeze_d``: FreezeD (Mo et al. 2020), ``compile(freeze_d=N)``;
- ``latent_optimization``: LOGAN (Wu et al. 2019), ``compile(latent_optimization=True)``.

docs/techniques.md describes each, with its defaults and what it cannot be
combined with.
"""

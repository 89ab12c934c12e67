"""Fits a tiny GAN with lazy R1 (every 2nd step) under ganzoo.distribution.

Usage: python lazy_fit.py DEVICES OUT.npz [toy]  (the devices are virtual, set by the caller)

``toy`` fits two small MLPs (no batch norm) instead of DCGAN. On TensorFlow
every run compiles without XLA: XLA draws other random numbers than the
plain kernels, and mirrored replicas cannot use XLA.
"""

import os
import sys

if os.environ.get("GANZOO_TEST_TF_CPUS"):
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * int(os.environ["GANZOO_TEST_TF_CPUS"]))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import ganzoo  # noqa: E402
from ganzoo import distribution  # noqa: E402

images = np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 1)).astype("float32")
with distribution.strategy(int(sys.argv[1])) as s:
    keras.utils.set_random_seed(0)
    if sys.argv[3:] == ["toy"]:
        from ganzoo.testing.toy import mlp

        images = images.reshape(16, -1)[:, :2]
        gan = ganzoo.GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=1)
    else:
        gan = ganzoo.build("dcgan", image_size=16, channels=1, base_filters=8, batch_size=8)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05),
                regularizers=[{"name": "r1", "weight": 1.0, "interval": 2}],
                **{**s.compile_options(),
                   **({"jit_compile": False} if keras.backend.backend() == "tensorflow" else {})})
    gan.fit(images, batch_size=8, epochs=2, shuffle=False, verbose=0)
np.savez(sys.argv[2], **{f"{i}:{w.path}": keras.ops.convert_to_numpy(w)
                         for i, w in enumerate(gan.weights)})

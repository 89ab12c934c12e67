"""Fits a tiny DCGAN with lazy R1 (every 2nd step) under ganzoo.distribution.

Usage: python lazy_fit.py DEVICES OUT.npz  (the devices are virtual, set by the caller)
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
    gan = ganzoo.build("dcgan", image_size=16, channels=1, base_filters=8, batch_size=8)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05),
                regularizers=[{"name": "r1", "weight": 1.0, "interval": 2}],
                **s.compile_options())
    gan.fit(images, batch_size=8, epochs=2, shuffle=False, verbose=0)
np.savez(sys.argv[2], **{f"{i}:{w.path}": keras.ops.convert_to_numpy(w)
                         for i, w in enumerate(gan.weights)})

"""Fits a tiny GAN under ganzoo.distribution on each given device count, in one process.

Usage: python lazy_fit.py DEVICES[,DEVICES...] OUT_PREFIX [toy|plain]
(the devices are virtual, set by the caller). Writes OUT_PREFIX-DEVICES.npz
for each count.

By default a tiny DCGAN (batch norm in both networks) with lazy R1 (every
2nd step); ``toy`` fits two small MLPs (no batch norm) instead of DCGAN;
``plain`` fits DCGAN without a regularizer. On TensorFlow every run compiles
without XLA: XLA draws other random numbers than the plain kernels, and
mirrored replicas cannot use XLA. One TensorFlow process holds at most one
multi-device strategy (a second one's collectives clash with the first's).
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

MODE = sys.argv[3] if len(sys.argv) > 3 else ""


def fit(devices: int) -> dict:
    keras.backend.clear_session()  # the same layer names in every fit
    images = np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 1)).astype("float32")
    with distribution.strategy(devices) as s:
        keras.utils.set_random_seed(0)
        if MODE == "toy":
            from ganzoo.testing.toy import mlp

            images = images.reshape(16, -1)[:, :2]
            gan = ganzoo.GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=1)
        else:
            gan = ganzoo.build("dcgan", image_size=16, channels=1, base_filters=8, batch_size=8)
        regularizers = [] if MODE == "plain" else [{"name": "r1", "weight": 1.0, "interval": 2}]
        gan.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05),
                    regularizers=regularizers,
                    **{**s.compile_options(),
                       **({"jit_compile": False} if keras.backend.backend() == "tensorflow" else {})})
        s.prepare(gan)  # TensorFlow: batch norm over the global batch
        gan.fit(images, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return {f"{i}:{w.path}": keras.ops.convert_to_numpy(w) for i, w in enumerate(gan.weights)}


for count in sys.argv[1].split(","):
    np.savez(f"{sys.argv[2]}-{count}.npz", **fit(int(count)))

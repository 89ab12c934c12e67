"""One step under tf.distribute.MirroredStrategy over N virtual CPUs.

Usage: python mirrored_step.py N OUT.npz   (TensorFlow backend)
Each replica draws the slice of the fixed noise that matches its slice of the
batch, so 1 and 2 replicas see the same numbers overall.
"""

import sys

import numpy as np
import tensorflow as tf

REPLICAS = int(sys.argv[1])
cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import parity_step  # noqa: E402
from keras import ops  # noqa: E402
from parity_step import BATCH, EPS, REAL, Z, initial_weights  # noqa: E402

from ganzoo.testing.toy import mlp  # noqa: E402

PER_REPLICA = BATCH // REPLICAS


def replica_slice(array):
    rid = tf.distribute.get_replica_context().replica_id_in_sync_group
    return tf.gather(tf.constant(array), tf.range(PER_REPLICA) + rid * PER_REPLICA)


class ReplicaNoiseGAN(parity_step.FixedNoiseGAN):
    def sample_latent(self, n):
        return replica_slice(Z)

    def sample_uniform(self, shape):
        return replica_slice(EPS)


strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(REPLICAS)])
results = {}
for case, regs in [("hinge_r1", ["r1"]), ("wasserstein_gp", ["gp"])]:
    with strategy.scope():
        g, d = mlp(2, 2, name="g"), mlp(2, 1, name="d")
        g.set_weights(initial_weights(g, 1))
        d.set_weights(initial_weights(d, 2))
        gan = ReplicaNoiseGAN(g, d, latent_dim=2)
        gan.compile(keras.optimizers.SGD(0.1, momentum=0.5), keras.optimizers.SGD(0.1, momentum=0.5),
                    loss=case.split("_")[0], regularizers=regs,
                    jit_compile=False)  # XLA cannot use mirrored variables
    gan.fit(REAL, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    for i, w in enumerate(g.weights + d.weights):
        results[f"{case}/w{i}"] = np.asarray(ops.convert_to_numpy(w))
np.savez(sys.argv[2], **results)

"""Runs ``ganzoo train`` with the given arguments in a fresh process (used by the scale tests).

Usage: python run_train.py [train arguments]. The caller sets KERAS_BACKEND and
XLA_FLAGS / GANZOO_TEST_TF_CPUS (virtual TensorFlow CPUs) in the environment
before Keras is imported, which is why each run needs its own process.
"""

import os
import sys

if os.environ.get("GANZOO_TEST_TF_CPUS"):
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * int(os.environ["GANZOO_TEST_TF_CPUS"]))

from ganzoo_cli.main import cli  # noqa: E402

sys.exit(cli.main(["train", *sys.argv[1:]], standalone_mode=True))

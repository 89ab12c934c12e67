"""Runs ``ganzoo train`` with the given arguments in a fresh process (used by the scale tests).

Usage: python run_train.py [train arguments] [--then [train arguments]]...
Each ``--then`` starts another ``ganzoo train`` in the same process, after
the previous one succeeded (backend and plugins import once). The caller
sets KERAS_BACKEND and XLA_FLAGS / GANZOO_TEST_TF_CPUS (virtual TensorFlow
CPUs) in the environment before Keras is imported, which is why the runs
need a process of their own.
"""

import os
import sys

if os.environ.get("GANZOO_TEST_TF_CPUS"):
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * int(os.environ["GANZOO_TEST_TF_CPUS"]))

import keras  # noqa: E402
from ganzoo_cli.main import cli  # noqa: E402

commands, current = [], []
for arg in sys.argv[1:]:
    if arg == "--then":
        commands.append(current)
        current = []
    else:
        current.append(arg)
commands.append(current)
for i, command in enumerate(commands):
    if i:
        keras.backend.clear_session()  # the next run starts as in a fresh process
    try:
        cli.main(["train", *command], standalone_mode=True)
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise

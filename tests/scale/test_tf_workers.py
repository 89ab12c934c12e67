"""Two TensorFlow worker processes on localhost (MultiWorkerMirroredStrategy from TF_CONFIG)."""

import json
import subprocess
import sys

import keras
import pytest
from scale_helpers import HERE, TINY_DCGAN, device_env, train
from test_jax_processes import free_port
from weights import assert_same_weights, run_weights

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute")]


def test_two_workers_match_one_process_with_two_devices(tmp_path, tiny_images):
    """2 workers x 1 CPU equal 1 process x 2 CPUs: the same 2 replicas, batch norm and all.

    The one-process run is mirrored too (no XLA), because XLA draws other
    random numbers than the plain kernels a distributed run uses.
    """
    args = [*TINY_DCGAN, "--dataset", tiny_images, "--steps", 3]
    train("tensorflow", 2, *args, "--devices", 2, "--run-dir", tmp_path / "one")
    ports = [free_port(), free_port()]
    procs = []
    for index in range(2):
        env = device_env("tensorflow", 1)
        env["TF_CONFIG"] = json.dumps({"cluster": {"worker": [f"localhost:{p}" for p in ports]},
                                       "task": {"type": "worker", "index": index}})
        procs.append(subprocess.Popen(
            [sys.executable, str(HERE / "run_train.py"), *map(str, args),
             "--run-dir", str(tmp_path / "two")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    import yaml

    recorded = yaml.safe_load((tmp_path / "two" / "config.yaml").read_text())["distribution"]
    assert recorded["num_processes"] == 2 and recorded["replicas"] == 2
    assert_same_weights(run_weights(tmp_path / "one"), run_weights(tmp_path / "two"))

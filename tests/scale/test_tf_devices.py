"""``ganzoo train --devices 2`` on two virtual TensorFlow CPUs (tf.distribute.MirroredStrategy)."""

import keras
import pytest
import yaml
from keras import ops
from scale_helpers import TINY_DCGAN, train

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute")]


def test_dcgan_trains_on_2_devices_and_resumes_on_1_and_back(tmp_path, tiny_images):
    run = tmp_path / "run"
    train("tensorflow", 2, *TINY_DCGAN, "--dataset", tiny_images, "--steps", 2,
          "--checkpoint-every", 1, "--run-dir", run, "--devices", 2)
    assert yaml.safe_load((run / "config.yaml").read_text())["distribution"]["per_device_batch"] == 4
    train("tensorflow", 2, "--resume", run, "--steps", 3, "-q")
    assert yaml.safe_load((run / "config.yaml").read_text())["distribution"]["devices"] == 1
    train("tensorflow", 2, "--resume", run, "--steps", 4, "--devices", "all", "-q")
    from ganzoo.training import load_checkpoint

    gan, _ = load_checkpoint(run / "gan.keras")
    assert int(ops.convert_to_numpy(gan.step_counter)) == 4
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == [
        "step-00000003", "step-00000004"]
    assert list((run / "samples").iterdir())


def test_uneven_batch_fails_before_training(tmp_path, tiny_images):
    result = train("tensorflow", 2, *TINY_DCGAN, "--batch-size", 5, "--dataset", tiny_images,
                   "--steps", 1, "--devices", 2, "--run-dir", tmp_path / "r", check=False)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "--batch-size 5 does not split evenly over 2 devices" in result.stderr
    assert "Traceback" not in result.stderr



def fit_on_1_and_2_devices(tmp_path, mode: str):
    """Weights after lazy_fit.py in MODE on 1 device and on 2 mirrored replicas."""
    import subprocess
    import sys

    import numpy as np
    from scale_helpers import HERE, device_env

    subprocess.run([sys.executable, str(HERE / "lazy_fit.py"), "1,2", str(tmp_path / "w"), mode],
                   env=device_env("tensorflow", 2), check=True, capture_output=True, timeout=600)
    return dict(np.load(tmp_path / "w-1.npz")), dict(np.load(tmp_path / "w-2.npz"))


def test_two_replicas_match_one_with_lazy_r1(tmp_path):
    """Latents and gradients: two mirrored replicas reproduce one device (MLPs, no batch norm)."""
    from weights import assert_same_weights

    assert_same_weights(*fit_on_1_and_2_devices(tmp_path, "toy"))


def test_dcgan_batch_norm_on_two_replicas_matches_one(tmp_path):
    """Batch norm statistics are over the global batch (synchronized), as on one device."""
    from weights import assert_same_weights

    one, two = fit_on_1_and_2_devices(tmp_path, "plain")
    assert any("moving_mean" in key for key in one)
    assert_same_weights(one, two)

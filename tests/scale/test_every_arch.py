"""Every architecture trains and resumes from the CLI on several devices.

``ganzoo train --devices 4`` on 4 virtual JAX CPU devices, ``--devices 2``
on 2 virtual TensorFlow CPUs. One child process runs every architecture
(every_arch.py), so the backend imports once.
"""

import json
import subprocess
import sys

import keras
import pytest
from scale_helpers import HERE, device_env

import ganzoo

pytestmark = pytest.mark.slow


def test_every_architecture_trains_and_resumes_on_several_devices(tmp_path):
    backend = keras.backend.backend()
    devices = {"jax": 4, "tensorflow": 2}[backend]
    result = subprocess.run([sys.executable, str(HERE / "every_arch.py"), str(devices),
                             str(tmp_path)], env=device_env(backend, devices),
                            capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = {r["arch"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(reports) == set(ganzoo.list_architectures())
    for arch, report in reports.items():
        assert "error" not in report, report
        if "refused" in report:  # the example plugin's 2-D points: not an image GAN
            assert "does not generate images" in report["refused"][0], report
            continue
        steps = 3 if arch in ("progan", "stylegan") else 2
        assert report["steps"] == steps, report
        assert report["distribution"]["devices"] == devices, report
        assert report["distribution"]["per_device_batch"] == 8 // devices, report
        assert report["checkpoints"][-1] == f"step-{steps:08d}", report  # written on resume
    assert [a for a, r in reports.items() if "refused" in r] == ["mlp2d"]

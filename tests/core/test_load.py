"""ganzoo.load restores a GAN built from plugin classes in a fresh process."""

import os
import subprocess
import sys

import numpy as np
import pytest

import ganzoo


@pytest.mark.slow
def test_load_in_a_fresh_process(tmp_path):
    gan = ganzoo.build("progan", image_size=4, channels=1, max_filters=8, base_filters=8,
                       latent_dim=8)
    path = tmp_path / "progan.keras"
    gan.save(path)
    expected = gan.generate(2, seed=3)
    np.save(tmp_path / "expected.npy", expected)
    program = (
        "import sys, numpy as np, ganzoo\n"
        f"gan = ganzoo.load({str(path)!r})\n"
        f"np.testing.assert_allclose(gan.generate(2, seed=3), np.load({str(tmp_path / 'expected.npy')!r}), atol=1e-5)\n"
        "print(type(gan).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, cwd=tmp_path,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ProGAN"

"""With KERAS_BACKEND=jax, ganzoo imports and fits with TensorFlow unimportable."""

import os
import subprocess
import sys
import textwrap

import pytest

BLOCKER = textwrap.dedent("""
    import sys

    class BlockTensorFlow:
        def find_spec(self, name, path=None, target=None):
            if name == "tensorflow" or name.startswith("tensorflow."):
                raise ImportError(f"No module named {name!r} (blocked by the test)")

    sys.meta_path.insert(0, BlockTensorFlow())
""")

PROGRAM = textwrap.dedent("""
    import sys
    import numpy as np
    import ganzoo, ganzoo.data, ganzoo.layers, ganzoo.metrics
    from ganzoo.testing.toy import mlp
    gan = ganzoo.GAN(mlp(2, 2), mlp(2, 1), latent_dim=2, seed=0)
    gan.compile(regularizers=["r1"])
    history = gan.fit(np.random.randn(128, 2).astype("float32"), batch_size=32, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert gan.generate(4, seed=0).shape == (4, 2)
    assert "tensorflow" not in sys.modules
    print("ok", ganzoo.list_architectures())
""")


@pytest.mark.slow
def test_import_and_fit_without_tensorflow(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROGRAM], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok")
    # Every registered plugin loaded without TensorFlow: no load warnings.
    assert "failed to load" not in result.stderr, result.stderr[-3000:]


# TensorFlow installed and importable: still, on JAX, building and fitting a
# GAN on arrays imports none of it, so none of its start-up lines are printed.
BUILD_AND_FIT = textwrap.dedent("""
    import sys
    import numpy as np
    import ganzoo
    gan = ganzoo.build("dcgan", image_size=16, channels=1, base_filters=4, latent_dim=8)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 16, 16, 1)).astype("float32")
    history = gan.fit(images, batch_size=32, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    print("tensorflow imported:", "tensorflow" in sys.modules)
""")


@pytest.mark.slow
def test_build_and_fit_on_jax_import_no_tensorflow():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run([sys.executable, "-c", BUILD_AND_FIT],
                            env={**env, "KERAS_BACKEND": "jax"}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "tensorflow imported: False"
    for tensorflow_line in ("cuda drivers", "absl::InitializeLog", "cpu_feature_guard",
                            "tensorflow"):
        assert tensorflow_line not in result.stderr, result.stderr[-3000:]

"""ganzoo.load restores a GAN built from plugin classes in a fresh process."""

import os
import subprocess
import sys

import numpy as np
import pytest

import ganzoo


# dcgan is a plain ganzoo.GAN: nothing but ganzoo.load imports ganzoo.gan in the
# fresh process (``import ganzoo`` is lazy). ProGAN is a plugin's GAN subclass.
@pytest.mark.slow
@pytest.mark.parametrize("name, config", [
    ("dcgan", {"image_size": 16, "channels": 1, "base_filters": 4, "latent_dim": 8}),
    ("progan", {"image_size": 4, "channels": 1, "max_filters": 8, "base_filters": 8,
                "latent_dim": 8}),
])
def test_load_in_a_fresh_process(tmp_path, name, config):
    gan = ganzoo.build(name, **config)
    path = tmp_path / f"{name}.keras"
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
    assert result.stdout.strip() == {"dcgan": "GAN", "progan": "ProGAN"}[name]


# What README promises: ``import ganzoo`` and plain ``keras.saving.load_model``,
# in a fresh process, whichever of ganzoo and keras is imported first. Covers a
# plain GAN, two plugins' GAN subclasses and the installed example plugin.
LOAD_WITH_KERAS = (
    "import sys, json, numpy as np\n"
    "first, paths = sys.argv[1], json.loads(sys.argv[2])\n"
    "if first == 'keras':\n"
    "    import keras, ganzoo\n"
    "else:\n"
    "    import ganzoo, keras\n"
    "for name, (path, expected) in paths.items():\n"
    "    gan = keras.saving.load_model(path)\n"
    "    np.testing.assert_allclose(gan.generate(2, seed=3), np.load(expected), atol=1e-5)\n"
    "    print(name, type(gan).__name__)\n"
)


@pytest.mark.slow
def test_keras_load_model_after_import_ganzoo(tmp_path):
    import json

    configs = {
        "dcgan": {"image_size": 16, "channels": 1, "base_filters": 4, "latent_dim": 8},
        "progan": {"image_size": 4, "channels": 1, "max_filters": 8, "base_filters": 8,
                   "latent_dim": 8},
        "stylegan2": {"image_size": 8, "channels": 1, "latent_dim": 8},
        "mlp2d": {},
    }
    paths = {}
    for name, config in configs.items():
        gan = ganzoo.build(name, **config)
        paths[name] = (str(tmp_path / f"{name}.keras"), str(tmp_path / f"{name}.npy"))
        gan.save(paths[name][0])
        np.save(paths[name][1], gan.generate(2, seed=3))
    for first in ("ganzoo", "keras"):
        result = subprocess.run([sys.executable, "-c", LOAD_WITH_KERAS, first, json.dumps(paths)],
                                capture_output=True, text=True, cwd=tmp_path, timeout=300,
                                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split() == ["dcgan", "GAN", "progan", "ProGAN",
                                         "stylegan2", "StyleGAN2", "mlp2d", "GAN"], first

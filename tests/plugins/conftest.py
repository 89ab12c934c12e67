"""Plugin tests compile without XLA on TensorFlow.

XLA takes far longer to compile these tiny models than they take to train on
a CPU (BigGAN's conformance check: 219 s with XLA, 63 s without). Tracing
problems still show: the JAX pass jit-compiles every plugin's step, and
tests/core keeps XLA on for the engine.
"""

import keras
import pytest


@pytest.fixture(autouse=True, scope="module")
def _no_xla_on_tensorflow():
    if keras.backend.backend() != "tensorflow":
        yield
        return
    from ganzoo.gan import GAN

    compile_ = GAN.compile

    def compile(self, *args, jit_compile=False, **kwargs):
        return compile_(self, *args, jit_compile=jit_compile, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GAN, "compile", compile)
        yield

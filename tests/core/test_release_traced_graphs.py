"""``release_traced_graphs`` frees what a finished training left in the backend."""

import gc

import keras
import pytest

from ganzoo import backends
from ganzoo.gan import GAN
from ganzoo.testing.toy import mlp, points

TRACES = {"tensorflow": "FuncGraph", "jax": "ClosedJaxpr"}


def traces() -> int:
    gc.collect()
    kind = TRACES[keras.backend.backend()]
    return sum(type(o).__name__ == kind for o in gc.get_objects())


def train_and_drop():
    gan = GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    gan.compile(regularizers=["r1"])
    gan.fit(points(16), batch_size=8, epochs=1, verbose=0)


@pytest.mark.skipif(keras.backend.backend() not in TRACES,
                    reason="PyTorch runs the step eagerly: nothing is traced")
def test_a_dropped_gans_traces_are_freed():
    backends.get().release_traced_graphs()
    before = traces()
    train_and_drop()
    keras.backend.clear_session()
    assert traces() > before  # the backend still holds the dropped GAN's traces
    backends.get().release_traced_graphs()
    assert traces() <= before


@pytest.mark.skipif(keras.backend.backend() != "torch", reason="PyTorch's eager step")
def test_a_dropped_gan_leaves_no_tensors_behind_on_torch():
    import torch

    def parameters() -> int:
        gc.collect()
        return sum(isinstance(o, torch.nn.Parameter) for o in gc.get_objects())

    backends.get().release_traced_graphs()
    before = parameters()
    train_and_drop()
    keras.backend.clear_session()
    backends.get().release_traced_graphs()  # nothing to release: autograd graphs die with a step
    assert parameters() <= before

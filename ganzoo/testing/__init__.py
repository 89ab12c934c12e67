"""A conformance kit that any ganzoo plugin (ours or third-party) runs in its tests."""

from ganzoo.testing.gan_test import (
    random_batch,
    run_architecture_test,
    run_discriminator_test,
    run_gan_test,
    run_generator_test,
)
from ganzoo.testing.layer_test import run_layer_test
from ganzoo.testing.runs import interrupted_copy

__all__ = [
    "interrupted_copy",
    "random_batch",
    "run_architecture_test",
    "run_discriminator_test",
    "run_gan_test",
    "run_generator_test",
    "run_layer_test",
]

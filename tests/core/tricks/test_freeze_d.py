"""FreezeD (ganzoo.tricks.freeze_d): the first blocks keep their weights, the rest train."""

import keras
import numpy as np
import pytest
from tricks_helpers import fit_once, tiny_gan

from ganzoo.errors import GanzooError


def weights(layer):
    return [np.array(w) for w in layer.get_weights()]


def test_frozen_blocks_do_not_change_in_a_step_and_the_others_do():
    gan = tiny_gan(freeze_d=2)
    d = gan.discriminator
    before = {layer.name: weights(layer) for layer in d.layers if layer.weights}
    fit_once(gan)
    for name, old in before.items():
        same = all(np.array_equal(a, b) for a, b in zip(old, weights(d.get_layer(name)),
                                                        strict=True))
        assert same == (name in ("conv_a", "conv_b")), name


def test_recompiling_unfreezes_and_a_loaded_file_freezes_again(tmp_path):
    gan = tiny_gan(freeze_d=1)
    assert [layer.trainable for layer in gan.discriminator.layers] == [False, True, True, True]
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert not loaded.discriminator.get_layer("conv_a").trainable
    assert loaded.get_compile_config()["freeze_d"] == 1
    gan.compile(freeze_d=0)
    assert all(layer.trainable for layer in gan.discriminator.layers)
    assert len(gan.discriminator.trainable_weights) == 6


def test_more_blocks_than_d_has_is_one_error_line_naming_them():
    with pytest.raises(GanzooError, match=r"freeze_d=4 but the discriminator has 3 blocks "
                                          r"\(top-level layers with weights: conv_a, conv_b, "
                                          r"logit\); use freeze_d <= 3"):
        tiny_gan(freeze_d=4)
    with pytest.raises(GanzooError, match="freeze_d=-1 must be a whole number"):
        tiny_gan(freeze_d=-1)

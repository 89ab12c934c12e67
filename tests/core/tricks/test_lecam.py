"""LeCam (ganzoo.tricks.lecam): EMA anchors of D's outputs, the term, saving."""

import keras
import numpy as np
import pytest
from tricks_helpers import context, fit_once, images, numpy, tiny_gan, value

from ganzoo.errors import GanzooError


def anchors(gan):
    reg = gan.regularizer_list[0]
    return value(reg.anchor_real), value(reg.anchor_fake)


def test_anchors_are_emas_of_d_mean_outputs_after_a_step():
    gan = tiny_gan(regularizers=["lecam:start=0,decay=0.9"])
    logged = fit_once(gan)  # anchors start at 0
    real, fake = anchors(gan)
    assert real == pytest.approx(0.1 * logged["d_real"], rel=1e-4, abs=1e-7)
    assert fake == pytest.approx(0.1 * logged["d_fake"], rel=1e-4, abs=1e-7)


def test_term_is_zero_at_the_anchors_and_as_the_paper_otherwise():
    gan = tiny_gan(regularizers=["lecam:start=0,decay=0.5"])
    reg = gan.regularizer_list[0]
    ctx = context(gan, images())
    c = 0.7
    for real_logits, fake_logits, expected in ((c, c, 0.0), (c + 1, c - 1, 2 * 1.5**2)):
        reg.anchor_real.assign(c)
        reg.anchor_fake.assign(c)
        ctx.real_logits = np.full((8,), real_logits, "float32")
        ctx.fake_logits = np.full((8,), fake_logits, "float32")
        # anchors move halfway first: real's to c + 0.5, fake's to c - 0.5
        assert value(reg(ctx)) == pytest.approx(expected, abs=1e-6)


def test_before_start_the_anchors_copy_and_the_term_is_zero():
    gan = tiny_gan(regularizers=["lecam"])  # start=1000
    reg = gan.regularizer_list[0]
    ctx = context(gan, images())
    assert value(reg(ctx)) == 0.0
    assert value(reg.anchor_real) == pytest.approx(float(np.mean(numpy(ctx.real_logits))))


def test_anchors_are_saved_and_loaded(tmp_path):
    gan = tiny_gan(regularizers=["lecam:start=0"])
    gan.regularizer_list[0].anchor_real.assign(1.25)
    gan.regularizer_list[0].anchor_fake.assign(-0.5)
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert anchors(loaded) == (1.25, -0.5)
    assert loaded.regularizer_list[0].start == 0


@pytest.mark.parametrize("spec, message", [("lecam:decay=1", "decay=1"),
                                           ("lecam:start=-1", "start=-1"),
                                           ("lecam:beta=2", "takes weight, interval, decay, start")])
def test_bad_lecam_options(spec, message):
    with pytest.raises(GanzooError, match=message):
        tiny_gan(regularizers=[spec])

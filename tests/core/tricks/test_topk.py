"""Top-k training of G (ganzoo.tricks.topk): k anneals, exactly k fakes count, saving."""

import keras
import numpy as np
import pytest
from keras import ops
from tricks_helpers import fit_once, numpy, tiny_gan, value

from ganzoo.errors import GanzooError
from ganzoo.tricks.topk import TopK


def test_k_anneals_by_the_decay_down_to_the_minimum():
    topk = TopK(decay=0.5, min_fraction=0.25, decay_every=10)
    ks = [int(numpy(topk.k(16, step))) for step in (0, 9, 10, 19, 20, 30, 1000)]
    assert ks == [16, 16, 8, 8, 4, 4, 4]
    paper = TopK()  # decay 0.99 per 1000 steps down to half the batch
    assert [int(numpy(paper.k(64, s))) for s in (0, 1000, 10**6)] == [64, 63, 32]


def test_g_loss_is_the_mean_over_exactly_the_k_fakes_d_rates_most_real():
    gan = tiny_gan(topk={"decay": 0.5, "min_fraction": 0.25, "decay_every": 1})
    logits = np.array([0.3, -2.0, 1.5, 0.3, -0.1, 2.2, -1.0, 0.0], "float32")
    for step, k in ((0, 8), (1, 4), (5, 2)):
        gan.step_counter.assign(step)
        mask = numpy(gan.topk.mask(logits, k))
        assert mask.sum() == k
        kept = np.sort(logits[mask == 1])
        assert np.array_equal(kept, np.sort(logits)[-k:])
        expected = np.mean(np.log1p(np.exp(-np.sort(logits)[-k:])))  # non-saturating
        assert value(gan.topk.generator_loss(gan, ops.convert_to_tensor(logits))) == \
            pytest.approx(expected, rel=1e-5)


def test_topk_trains_saves_and_resumes_with_the_step(tmp_path):
    gan = tiny_gan(topk="decay=0.5,decay_every=1")
    assert np.isfinite(fit_once(gan)["g_loss"])
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_compile_config()["topk"] == {"decay": 0.5, "min_fraction": 0.5,
                                                   "decay_every": 1}
    assert int(numpy(loaded.topk.k(8, loaded.step_counter))) == 4  # one step taken
    loaded.compile(topk=False)
    assert loaded.topk is None


@pytest.mark.parametrize("kwargs, message", [
    ({"topk": True, "loss": "relativistic_average"},
     "topk does not work with loss 'relativistic_average'"),
    ({"topk": {"gamma": 0.9}}, "topk takes decay, min_fraction, decay_every; got gamma"),
    ({"topk": "decay=2"}, "topk decay=2: use a value in"),
    ({"topk": 3}, "topk=3: pass True"),
])
def test_bad_topk_settings_are_one_error_line(kwargs, message):
    with pytest.raises(GanzooError, match=message.replace("(", r"\(")):
        tiny_gan(**kwargs)

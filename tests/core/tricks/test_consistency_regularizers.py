"""CR, bCR and zCR (ganzoo.tricks.consistency): their defining properties."""

import keras
import numpy as np
import pytest
from tricks_helpers import (
    SIZE,
    context,
    fit_once,
    generator,
    images,
    linear_discriminator,
    numpy,
    tiny_gan,
    value,
)

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.regularizers import DISCRIMINATOR, GENERATOR
from ganzoo.testing.toy import mlp
from ganzoo.tricks.consistency import (
    ConsistencyRegularization,
    FakeConsistency,
    cr_augment,
)


def test_cr_augment_flips_or_keeps_each_image_without_translation():
    gan = tiny_gan()
    x = images(16)
    out = numpy(cr_augment(gan, x, flip=True, translation=0.0))
    flipped = [np.allclose(o, x[i][:, ::-1]) for i, o in enumerate(out)]
    kept = [np.allclose(o, x[i]) for i, o in enumerate(out)]
    assert all(f or k for f, k in zip(flipped, kept, strict=True))
    assert any(flipped) and any(kept)


def test_cr_vanishes_for_a_d_invariant_to_the_augmentation_and_not_otherwise():
    # A D that sums the pixels does not see a flip; one that weighs the left half does.
    symmetric = tiny_gan(linear_discriminator(np.ones((SIZE, SIZE))))
    ctx = context(symmetric, images())
    assert value(ConsistencyRegularization(translation=0.0)(ctx)) == pytest.approx(0, abs=1e-8)
    assert value(FakeConsistency(translation=0.0)(ctx)) == pytest.approx(0, abs=1e-8)
    left = np.zeros((SIZE, SIZE))
    left[:, : SIZE // 2] = 1.0
    lopsided = tiny_gan(linear_discriminator(left))
    assert value(ConsistencyRegularization(translation=0.0)(context(lopsided, images()))) > 1e-3
    assert value(ConsistencyRegularization()(context(symmetric, images()))) > 1e-3  # shifts


def test_bcr_and_zcr_install_their_parts_with_the_papers_weights():
    gan = tiny_gan(regularizers=["bcr", "zcr"])
    parts = [(r.name, r.target, r.weight) for r in gan.regularizer_list]
    assert parts == [("cr", DISCRIMINATOR, 10.0), ("cr_fake", DISCRIMINATOR, 10.0),
                     ("zcr_d", DISCRIMINATOR, 20.0), ("zcr_g", GENERATOR, 0.5)]
    assert gan.regularizer_list[2].sigma == 0.05
    gan = tiny_gan(regularizers=["bcr:real_weight=2,fake_weight=3", "zcr:g_weight=1,sigma=0.1"])
    assert [r.weight for r in gan.regularizer_list] == [2.0, 3.0, 20.0, 1.0]


def test_zcr_vanishes_for_a_g_that_ignores_z_and_not_otherwise():
    z = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    for ignores_z in (True, False):
        g = generator()
        if ignores_z:
            g.layers[0].kernel.assign(np.zeros((4, SIZE * SIZE), "float32"))
            g.layers[0].bias.assign(np.linspace(-1, 1, SIZE * SIZE).astype("float32"))
        gan = tiny_gan(g=g, regularizers=["zcr"])
        d_term, g_term = gan.regularizer_list
        ctx = context(gan, images(), gan.generator_forward(z, training=True), z)
        if ignores_z:
            assert value(d_term(ctx)) == pytest.approx(0, abs=1e-10)
            assert value(g_term(ctx)) == pytest.approx(0, abs=1e-10)
        else:
            assert value(d_term(ctx)) > 0 and value(g_term(ctx)) < 0  # G's term repels


def test_consistency_regularizers_train_save_and_load(tmp_path):
    gan = tiny_gan(regularizers=["cr", "bcr:real_weight=1", "zcr"])
    logged = fit_once(gan)
    for name in ("cr_0", "cr_1", "cr_fake", "zcr_d", "zcr_g"):
        assert np.isfinite(logged[name]), name
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_compile_config()["regularizers"] == gan.get_compile_config()["regularizers"]


def test_cr_on_points_is_one_error_line():
    gan = GAN(mlp(2, 2), mlp(2, 1), latent_dim=2)
    with pytest.raises(GanzooError, match="regularizer 'cr' flips and shifts images.*zcr works"):
        gan.compile(regularizers=["cr"])
    gan.compile(regularizers=["zcr"])  # zCR needs no images

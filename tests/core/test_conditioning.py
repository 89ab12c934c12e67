"""Conditionings of D: their loss terms against NumPy and StudioGAN, their heads, a
fit step and a .keras round trip per method, and the error lines."""

from pathlib import Path

import keras
import numpy as np
import pytest
from keras import ops

import ganzoo
from ganzoo import conditioning
from ganzoo.conditioning import auxiliary, multi_hinge
from ganzoo.errors import ConfigError, GanzooError, UnknownNameError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "conditioning" / "losses.npz"
NAMES = ["acgan", "tacgan", "adcgan", "contragan", "contragan_tac", "contragan_adc",
         "reacgan", "reacgan_tac", "reacgan_adc", "mhgan", "none"]
K, B, DIM = 3, 6, 5
LABELS = np.array([0, 1, 1, 2, 0, 2])


def num(x):
    return float(ops.convert_to_numpy(x))


# -- NumPy references, written from the papers' formulas ---------------------------
def np_ce(logits, y):
    logits = logits - logits.max(1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


def np_2c(e, p, y, t):
    losses = []
    for i in range(len(y)):
        to_proxy = np.exp(e[i] @ p[i] / t)
        others = [j for j in range(len(y)) if j != i]
        sims = {j: np.exp(e[i] @ e[j] / t) for j in others}
        positive = sum(sims[j] for j in others if y[j] == y[i])
        losses.append(-np.log((to_proxy + positive) / (to_proxy + sum(sims.values()))))
    return np.mean(losses)


def np_d2dce(e, p, y, t, m_p):
    losses = []
    for i in range(len(y)):
        others = [j for j in range(len(y)) if j != i]
        s = {j: (e[i] @ e[j] + m_p - 1) / t for j in others}
        row_max = max(s.values())
        pos = max((m_p - e[i] @ p[i]) / t, 0.0)
        neg = sum(np.exp(max(s[j], 0.0) - row_max) for j in others if y[j] != y[i])
        losses.append(pos + np.log(np.exp(-pos) + neg))
    return np.mean(losses)


def np_cs(out, y):
    target = out[np.arange(len(y)), y]
    wrong = np.where(np.eye(out.shape[1])[y] > 0, -np.inf, out).max(1)
    return np.maximum(0, 1 + wrong - target).mean()


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def outputs(rng, cond):
    """A random dict of D's outputs for ``cond`` (what its head would return)."""
    out = {"logits": rng.normal(size=(B,)).astype("float32")}
    if isinstance(cond, multi_hinge.MultiHinge):
        out["class_logits"] = rng.normal(size=(B, K + 1)).astype("float32")
        return out
    if not isinstance(cond, auxiliary.ClassifierConditioning):
        return out
    classes = 2 * K if cond.aux == "adc" else K
    prefixes = ["", "twin_"] if cond.aux == "tac" else [""]
    for prefix in prefixes:
        if cond.criterion == "ce":
            out[prefix + "class_logits"] = rng.normal(size=(B, classes)).astype("float32")
        else:
            for key in ("embed", "proxy"):
                out[prefix + key] = unit(rng.normal(size=(B, DIM))).astype("float32")
    if cond.aux == "adc" and cond.criterion != "ce":
        out["fake_proxy"] = unit(rng.normal(size=(B, DIM))).astype("float32")
    return out


def expected_terms(cond, real, fake, y):
    """(D's term or loss, G's term or loss) by the papers' formulas."""
    if isinstance(cond, multi_hinge.MultiHinge):
        d = np_cs(real["class_logits"], y) + np_cs(fake["class_logits"], np.full_like(y, K))
        return d, 0.05 * np_cs(fake["class_logits"], y)

    def loss(out, prefix="", fake_class=False):
        if cond.criterion == "ce":
            target = 2 * y + int(fake_class) if cond.aux == "adc" else y
            return np_ce(out[prefix + "class_logits"], target)
        proxy = out["fake_proxy" if fake_class else prefix + "proxy"]
        if cond.criterion == "2c":
            return np_2c(out[prefix + "embed"], proxy, y, cond.temperature)
        return np_d2dce(out[prefix + "embed"], proxy, y, cond.temperature, cond.m_p)

    w = cond.weight
    d, g = w * loss(real), w * loss(fake)
    if cond.aux == "tac":
        d += cond.tac_d_weight * loss(fake, "twin_")
        g -= cond.tac_g_weight * loss(fake, "twin_")
    if cond.aux == "adc":
        d += w * loss(fake, fake_class=True)
        g -= w * loss(fake, fake_class=True)
    return d, g


@pytest.mark.parametrize("name", [n for n in NAMES if n != "none"])
def test_terms_match_hand_computed_values(name):
    cond = conditioning.get(name)
    rng = np.random.default_rng(NAMES.index(name))
    real, fake = outputs(rng, cond), outputs(rng, cond)
    d_expected, g_expected = expected_terms(cond, real, fake, LABELS)
    labels = ops.convert_to_tensor(LABELS.astype("int32"))
    if cond.replaces_loss:
        d, g = cond.discriminator_loss(real, fake, labels), cond.generator_loss(fake, labels)
    else:
        d, g = cond.discriminator_term(real, fake, labels), cond.generator_term(fake, labels)
    np.testing.assert_allclose([num(d), num(g)], [d_expected, g_expected], rtol=1e-5, atol=1e-6)


def test_defaults_are_studiogans():
    reacgan, contragan = conditioning.get("reacgan"), conditioning.get("contragan")
    assert (reacgan.weight, reacgan.temperature, reacgan.m_p) == (0.5, 0.5, 0.98)
    assert (contragan.weight, contragan.temperature, contragan.embed_dim) == (1.0, 1.0, 512)
    assert conditioning.get("mhgan").g_weight == 0.05
    assert conditioning.get({"name": "acgan", "weight": 0.25}).weight == 0.25


def test_criteria_match_studiogan_golden_values():
    # Numbers from StudioGAN's own loss classes (tests/fixtures/conditioning/make_fixtures.py).
    f = np.load(FIXTURE)
    y = ops.convert_to_tensor(f["labels"].astype("int32"))
    k = f["class_logits"].shape[1]
    got = {
        "ce": auxiliary.cross_entropy(f["class_logits"], y),
        "contrastive": auxiliary.conditional_contrastive(f["embed"], f["proxy"], y, 1.0),
        "d2dce": auxiliary.data_to_data_cross_entropy(f["embed"], f["proxy"], y, 0.5, 0.98),
        "crammer_singer_real": multi_hinge.crammer_singer(f["mh_outputs"], y),
        "crammer_singer_fake": multi_hinge.crammer_singer(f["mh_outputs"],
                                                          ops.full_like(y, k)),
    }
    for key, value in got.items():
        np.testing.assert_allclose(num(value), float(f[key]), rtol=1e-5, err_msg=key)


# -- heads, fit and .keras round trip ----------------------------------------------
def tiny_gan(name, spectral_norm=False):
    """G: [z, y] -> 6 numbers; D: [x, y] -> 8 features -> the conditioning's head."""
    z, y = keras.Input((4,)), keras.Input((), dtype="int32")
    h = keras.layers.Concatenate()([z, keras.layers.Embedding(K, 2)(y)])
    generator = keras.Model([z, y], keras.layers.Dense(6, activation="tanh")(h))
    x, y = keras.Input((6,)), keras.Input((), dtype="int32")
    features = keras.layers.Dense(8, activation="relu")(x)
    head = conditioning.get(name).make_head(K, spectral_norm, "glorot_uniform")
    discriminator = keras.Model([x, y], head([features, y]))
    gan = ganzoo.GAN(generator, discriminator, latent_dim=4, num_classes=K, seed=1)
    gan.compile(loss="hinge", jit_compile=False)
    return gan


def data():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (8, 6)).astype("float32"), np.arange(8) % K


def test_head_outputs():
    x = np.ones((B, 8), "float32")
    y = LABELS.astype("int32")
    out = conditioning.get("tacgan").make_head(K, True, "glorot_uniform")([x, y])
    assert {k: tuple(v.shape) for k, v in out.items()} == {
        "logits": (B, 1), "class_logits": (B, K), "twin_class_logits": (B, K)}
    out = conditioning.get("contragan_adc").make_head(K, False, "glorot_uniform")([x, y])
    assert tuple(out["embed"].shape) == (B, 512) and "fake_proxy" in out
    norms = np.linalg.norm(ops.convert_to_numpy(out["embed"]), axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)
    out = conditioning.get("mhgan").make_head(K, False, "glorot_uniform")([x, y])
    classes = ops.convert_to_numpy(out["class_logits"])
    margin = classes[np.arange(B), y] - classes[:, K]
    np.testing.assert_allclose(ops.convert_to_numpy(out["logits"])[:, 0], margin, rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_fit_step_and_keras_round_trip(name, tmp_path):
    gan = tiny_gan(name, spectral_norm=name == "acgan")
    x, y = data()
    logs = gan.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    has_terms = gan.conditioning.has_terms
    assert ("d_cond" in logs) == has_terms and ("g_cond" in logs) == has_terms
    assert all(np.isfinite(v[-1]) for v in logs.values())
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = ganzoo.load(path)
    assert loaded.conditioning == gan.conditioning
    inputs = [x, y.astype("int32")]
    before, after = gan.discriminator(inputs), loaded.discriminator(inputs)
    assert set(before) == set(after)
    for key in before:
        np.testing.assert_array_equal(ops.convert_to_numpy(before[key]),
                                      ops.convert_to_numpy(after[key]))


def test_adversarial_logit_only_reaches_regularizers():
    gan = tiny_gan("acgan")
    gan.compile(loss="hinge", regularizers=[{"name": "drift", "weight": 1e-3}],
                jit_compile=False)
    x, y = data()
    logs = gan.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    assert {"drift", "d_cond", "g_cond"} <= set(logs)


# -- errors -------------------------------------------------------------------------
def test_unknown_name_lists_valid_ones():
    with pytest.raises(UnknownNameError) as info:
        conditioning.get("acgn", extra=("input",))
    message = str(info.value)
    assert "\n" not in message and "did you mean 'acgan'" in message
    assert all(n in message for n in ("input", "projection", "reacgan", "mhgan"))


def test_unconditional_model_rejects_label_conditionings():
    with pytest.raises(ConfigError, match="d_conditioning='acgan'.*'projection' or 'none'"):
        ganzoo.get_architecture("sagan").make_config(num_classes=0, d_conditioning="acgan")
    gan = tiny_gan("acgan")
    with pytest.raises(GanzooError, match="needs class labels"):
        ganzoo.GAN(gan.generator, gan.discriminator, latent_dim=4)


def test_multi_hinge_refuses_label_smoothing():
    gan = tiny_gan("mhgan")
    with pytest.raises(GanzooError, match="'mhgan' is the adversarial loss"):
        gan.compile(loss="non_saturating", label_smoothing=0.1)


def test_normalized_embeddings_have_finite_gradients_at_zero():
    """A sample whose D features are all 0 embeds at 0: the 2C and D2D-CE losses
    must still give finite gradients (they were NaN through sqrt at 0)."""
    from ganzoo import backends

    _normalize = auxiliary._normalize
    x = np.zeros((2, 3), "float32")
    x[1] = [3.0, 4.0, 0.0]
    np.testing.assert_allclose(ops.convert_to_numpy(_normalize(x)), [[0, 0, 0], [0.6, 0.8, 0]],
                               atol=1e-7)
    grad = backends.get().input_gradient(lambda v: ops.sum(_normalize(v) * 2.0),
                                         ops.convert_to_tensor(x))
    assert np.isfinite(ops.convert_to_numpy(grad)).all()

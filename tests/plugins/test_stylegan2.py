"""stylegan2: the layer and W-space checks of Karras et al. 2020, path length, config, conformance."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from ganzoo_stylegan2.gan import StyleGAN2
from ganzoo_stylegan2.plugin import regularizer_configs
from ganzoo_stylegan2.regularizers import path_length_statistics
from keras import ops

import ganzoo
from ganzoo.layers import ModulatedConv2D
from ganzoo.regularizers import StepContext
from ganzoo.testing import random_batch, run_architecture_test
from ganzoo.testing.toy import mlp

TINY = {"image_size": 8, "channels": 1, "latent_dim": 8, "w_dim": 8,
        "base_filters": 64, "max_filters": 8, "batch_size": 4}


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def tiny(**overrides) -> StyleGAN2:
    gan = ganzoo.build("stylegan2", **{**TINY, **overrides})
    # A non-zero mean w (in G and its EMA copy), so truncation toward it is visible.
    for generator in (gan.generator, gan.ema_generator):
        w_avg = generator.mapping.w_avg
        w_avg.assign(np.random.default_rng(5).normal(size=w_avg.shape).astype("float32"))
    return gan


def noise_scales(generator):
    return [w for w in generator.weights if w.path.endswith("noise/scale")]


def latents(n, seed=0, dim=8):
    return np.random.default_rng(seed).normal(size=(n, dim)).astype("float32")


# -- layers -------------------------------------------------------------------------
@pytest.mark.parametrize("style_scale", [1.0, 5.0])
def test_demodulated_output_has_unit_variance(style_scale):
    layer = ModulatedConv2D(16, 3, demodulate=True, use_bias=False)
    x = np.random.default_rng(0).normal(size=(32, 12, 12, 24)).astype("float32")
    w = np.random.default_rng(1).normal(size=(32, 8)).astype("float32") * style_scale
    out = numpy(layer([x, w]))[:, 1:-1, 1:-1]  # interior: "same" padding adds zeros
    np.testing.assert_allclose(out.var(axis=(0, 1, 2)).mean(), 1.0, rtol=0.05)
    # Without demodulation the variance follows the styles (the check can fail).
    plain = ModulatedConv2D(16, 3, demodulate=False, use_bias=False)
    plain([x, w])
    plain.set_weights(layer.get_weights())
    assert abs(numpy(plain([x, w]))[:, 1:-1, 1:-1].var() - 1.0) > 0.3


def test_noise_strength_zero_gives_deterministic_output():
    gan = tiny()
    ws = gan.generator.mapping(latents(3))
    synthesize = gan.generator.synthesize
    assert all(np.all(numpy(s) == 0) for s in noise_scales(gan.generator))
    np.testing.assert_array_equal(numpy(synthesize(ws, training=True)),
                                  numpy(synthesize(ws, training=True)))
    for scale in noise_scales(gan.generator):
        scale.assign(np.full(scale.shape, 0.5, "float32"))
    a, b = numpy(synthesize(ws, training=True)), numpy(synthesize(ws, training=True))
    assert not np.allclose(a, b)  # random noise now shows
    np.testing.assert_array_equal(numpy(synthesize(ws, noise_mode="const")),
                                  numpy(synthesize(ws, noise_mode="const")))


# -- W space ----------------------------------------------------------------------
def test_mixing_with_equal_latents_is_no_mixing():
    gan = tiny()
    z, other = latents(4, 0), latents(4, 1)
    plain = gan.generate_from_latents(z)
    crossover = gan.generator.num_ws // 2
    np.testing.assert_allclose(gan.style_mix(z, z, crossover), plain, atol=1e-6)
    mixed = gan.style_mix(z, other, crossover)
    assert not np.allclose(mixed, plain, atol=1e-4)
    assert not np.allclose(mixed, gan.generate_from_latents(other), atol=1e-4)
    np.testing.assert_allclose(gan.style_mix(z, other, gan.generator.num_ws), plain, atol=1e-6)


def test_training_forward_mixes_from_a_random_crossover():
    gan = tiny(style_mixing_prob=1.0)
    z = latents(4)
    unmixed = numpy(gan.generator.mapping(z))
    cutoffs = set()
    for _ in range(6):
        ws = numpy(gan.mapping_forward(z, training=True))
        np.testing.assert_allclose(ws[:, 0], unmixed[:, 0], atol=1e-6)  # cutoff >= 1
        same = np.all(np.isclose(ws, unmixed, atol=1e-6), axis=(0, 2))
        cutoff = int(np.argmin(same))
        assert cutoff >= 1 and not same[cutoff:].any()  # all later w's replaced
        cutoffs.add(cutoff)
    assert len(cutoffs) > 1  # the crossover is drawn, not fixed
    no_mix = tiny(style_mixing_prob=0.0)
    np.testing.assert_allclose(numpy(no_mix.mapping_forward(z, training=True)),
                               numpy(no_mix.generator.mapping(z)), atol=1e-6)


def test_truncation_psi_zero_gives_the_mean_image_and_one_the_untruncated():
    gan = tiny()
    generator = gan.generator
    at_zero = gan.generate(5, seed=0, truncation_psi=0.0)
    np.testing.assert_allclose(at_zero, np.broadcast_to(at_zero[:1], at_zero.shape), atol=1e-6)
    mean_ws = ops.broadcast_to(generator.mapping.w_avg, (1, generator.num_ws, gan.generator.w_dim))
    np.testing.assert_allclose(at_zero[:1], numpy(generator.synthesize(mean_ws)), atol=1e-6)
    np.testing.assert_allclose(gan.generate(5, seed=0, truncation_psi=1.0),
                               gan.generate(5, seed=0), atol=1e-6)
    assert not np.allclose(gan.generate(5, seed=0, truncation_psi=0.5), at_zero, atol=1e-4)
    # A cutoff truncates only the first w's.
    ws = generator.mapping(latents(2))
    cut = numpy(generator.mapping.truncate(ws, 0.0, 2))
    np.testing.assert_allclose(cut[:, :2], np.broadcast_to(numpy(generator.mapping.w_avg), cut[:, :2].shape))
    np.testing.assert_allclose(cut[:, 2:], numpy(ws)[:, 2:])


def test_w_avg_tracks_the_mean_w_in_training_only():
    gan = tiny()
    mapping = gan.generator.mapping
    before = numpy(mapping.w_avg)
    z = latents(6)
    mapping(z, training=False)
    np.testing.assert_array_equal(numpy(mapping.w_avg), before)
    w = numpy(mapping(z, training=True))[:, 0]
    np.testing.assert_allclose(numpy(mapping.w_avg),
                               0.995 * before + 0.005 * w.mean(axis=0), rtol=1e-5, atol=1e-6)


# -- path length ---------------------------------------------------------------------
def test_path_length_statistics_match_the_formula():
    grads = np.random.default_rng(0).normal(size=(6, 4, 5)).astype("float32")
    penalty, new_mean, lengths = path_length_statistics(grads, 0.3, 0.01)
    expected_lengths = np.sqrt((grads**2).sum(axis=2).mean(axis=1))
    expected_mean = 0.3 + 0.01 * (expected_lengths.mean() - 0.3)
    np.testing.assert_allclose(numpy(lengths), expected_lengths, rtol=1e-5)
    np.testing.assert_allclose(float(numpy(new_mean)), expected_mean, rtol=1e-5)
    np.testing.assert_allclose(float(numpy(penalty)),
                               ((expected_lengths - expected_mean) ** 2).mean(), rtol=1e-5)


def test_consecutive_path_length_evaluations_draw_fresh_noise_inputs():
    """G's noise inputs of the path-length pass are drawn from the model's stream
    outside the input gradient (which discards state updates), so the stream
    advances: with the latents and the path noise held fixed, two evaluations
    differ by the noise inputs alone."""
    gan = tiny(style_mixing_prob=0.0)
    for scale in noise_scales(gan.generator):
        scale.assign(np.ones(scale.shape, "float32"))
    (reg,) = [r for r in gan.regularizer_list if r.name == "path_length"]
    z, y = latents(2), np.random.default_rng(1).normal(size=(2, 8, 8, 1)).astype("float32")
    gan.sample_latent = lambda n: ops.convert_to_tensor(z)[:n]
    gan.sample_path_noise = lambda shape: ops.convert_to_tensor(y)[: shape[0]]
    batch = np.zeros((4, 8, 8, 1), "float32")
    ctx = StepContext(gan, batch, batch, None)
    penalties = []
    for _ in range(2):
        reg.pl_mean.assign(0.0)
        before = numpy(gan.seed_generator.state)
        penalties.append(float(numpy(reg(ctx))))
        assert not np.array_equal(numpy(gan.seed_generator.state), before)
    assert penalties[0] != penalties[1]


def test_path_length_runs_its_own_shrunk_pass_without_reading_the_fakes():
    """The penalty needs no fakes of the phase (a Greg context making them on demand
    makes none): it maps batch // batch_shrink latents of its own."""
    from ganzoo.regularizers import OnDemandStepContext

    gan = tiny()
    (reg,) = [r for r in gan.regularizer_list if r.name == "path_length"]
    sizes = []
    mapping_forward = gan.mapping_forward
    gan.mapping_forward = lambda z, *a, **k: sizes.append(z.shape[0]) or mapping_forward(z, *a, **k)

    def no_fakes():
        raise AssertionError("the path-length penalty made the phase's fakes")

    ctx = OnDemandStepContext(gan, np.zeros((6, 8, 8, 1), "float32"), None, no_fakes)
    assert np.isfinite(float(numpy(reg(ctx))))
    assert sizes == [6 // reg.batch_shrink]


def test_path_length_needs_a_style_based_gan():
    plain = ganzoo.GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2)
    with pytest.raises(ganzoo.GanzooError, match="path_length.*stylegan2"):
        plain.compile(regularizers=[{"name": "path_length"}])


PARITY = Path(__file__).with_name("stylegan2_parity_step.py")


@pytest.mark.slow
@pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                    reason="runs both backends itself; once per suite is enough")
def test_path_length_and_step_match_across_backends(tmp_path):
    out = {}
    backends = ("tensorflow", "jax") + (("torch",) if importlib.util.find_spec("torch") else ())
    for backend in backends:
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        subprocess.run([sys.executable, str(PARITY), str(tmp_path / backend)], env=env,
                       check=True, capture_output=True, timeout=900)
        out[backend] = dict(np.load(tmp_path / f"{backend}.npz"))
    tf_out = out["tensorflow"]
    assert tf_out["penalty"] > 0 and tf_out["pl_mean"] > 0  # something was computed
    assert "step/log_path_length" in tf_out and "step/log_r1" in tf_out
    for backend in backends[1:]:  # JAX, and PyTorch (an optional extra) when installed
        assert sorted(out[backend]) == sorted(tf_out)
        for key in tf_out:
            np.testing.assert_allclose(out[backend][key], tf_out[key], rtol=1e-4, atol=1e-6,
                                       err_msg=f"{backend}: {key}")
    assert not np.allclose(tf_out["step/g0"], tf_out["initial/g0"])  # the step moved G


# -- the architecture ---------------------------------------------------------------
def test_configs_follow_the_reference():
    arch = ganzoo.get_architecture("stylegan2")
    auto = arch.make_config(image_size=32)
    assert (auto.batch_size, auto.mbstd_group_size, auto.mapping_layers) == (32, 4, 2)
    assert auto.r1_gamma == pytest.approx(0.0002 * 32**2 / 32)
    assert auto.base_filters == 16384 and auto.learning_rate == 0.0025
    assert auto.ema_kimg == pytest.approx(10.0) and auto.ema_rampup == 0.05
    cifar = arch.make_config(cfg="cifar", image_size=32)
    assert (cifar.mapping_layers, cifar.r1_gamma, cifar.mbstd_group_size) == (2, 0.01, 32)
    assert (cifar.pl_weight, cifar.style_mixing_prob, cifar.d_architecture) == (0, 0, "orig")
    assert [r["name"] for r in regularizer_configs(cifar)] == ["r1"]
    paper = arch.make_config(cfg="stylegan2", image_size=32, r1_gamma=5.0)
    assert paper.mapping_layers == 8 and paper.r1_gamma == 5.0  # overrides win
    r1, pl = regularizer_configs(auto)
    assert (r1["interval"], pl["weight"], pl["interval"], pl["batch_shrink"]) == (16, 2.0, 4, 2)


def test_build_compiles_the_reference_training_setup():
    gan = tiny()
    assert gan.loss_fn.name == "non_saturating"
    assert [(r.name, r.interval) for r in gan.regularizer_list] == [("r1", 16), ("path_length", 4)]
    # lazy_rescale: lr * k/(k+1) and beta ** (k/(k+1)) per network's interval k.
    assert gan.lazy_rescale and gan.compile_defaults["lazy_rescale"]
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(0.0025 * 4 / 5)
    assert float(gan.d_optimizer.beta_2) == pytest.approx(0.99 ** (16 / 17))
    assert float(gan.d_optimizer.beta_1) == 0.0
    assert float(gan.d_optimizer.epsilon) == pytest.approx(1e-8)
    gan.compile()  # a recompile keeps the defaults
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(0.0025 * 16 / 17)


def test_ema_half_life_ramps_up_with_images_seen():
    gan = tiny()  # batch 4, ema_kimg 4 * 10 / 32, ramp-up 0.05
    assert float(numpy(gan.current_ema_decay())) == 0.0  # step 0: the EMA copies G
    gan.step_counter.assign(1000)
    ema_nimg = min(4 * 10 / 32 * 1000, 1000 * 4 * 0.05)
    assert float(numpy(gan.current_ema_decay())) == pytest.approx(0.5 ** (4 / ema_nimg), rel=1e-5)


@pytest.mark.parametrize("overrides, key", [
    ({"cfg": "ffhq"}, "cfg"), ({"image_size": 4}, "image_size"),
    ({"num_classes": -1}, "num_classes"), ({"d_architecture": "skip"}, "d_architecture"),
    ({"style_mixing_prob": 2.0}, "style_mixing_prob"), ({"pl_batch_shrink": 0}, "pl_batch_shrink"),
])
def test_config_errors_name_key_and_fix(overrides, key):
    with pytest.raises(ganzoo.ConfigError, match=rf"{key}=.*: use"):
        ganzoo.get_architecture("stylegan2").make_config(**overrides)


def pl_mean(gan):
    (path_length,) = [r for r in gan.regularizer_list if r.name == "path_length"]
    return float(numpy(path_length.pl_mean))


@pytest.mark.slow
def test_stylegan2_conformance(tmp_path):
    gan = run_architecture_test("stylegan2", TINY, steps=2)
    assert gan.generate(2, seed=0).shape == (2, 8, 8, 1)
    assert pl_mean(gan) > 0  # the path-length mean moved and was kept
    gan.save(tmp_path / "gan.keras")
    loaded = ganzoo.load(tmp_path / "gan.keras")
    assert pl_mean(loaded) == pl_mean(gan)
    np.testing.assert_array_equal(numpy(loaded.generator.mapping.w_avg),
                                  numpy(gan.generator.mapping.w_avg))


# -- class-conditional (num_classes > 0) ----------------------------------------------
def test_conditional_truncation_pulls_every_class_to_the_one_mean_w():
    gan = tiny(num_classes=3)
    z, labels = np.repeat(latents(1), 3, axis=0), [0, 1, 2]  # one z in each class
    plain = gan.generate_from_latents(z, labels)
    assert not np.allclose(plain[0], plain[1], atol=1e-4)
    assert not np.allclose(plain[1], plain[2], atol=1e-4)
    # As the reference's, w_avg is one mean over all classes: at psi 0 every class
    # gives the same image, the mean w's.
    at_zero = gan.generate_from_latents(z, labels, truncation_psi=0.0)
    np.testing.assert_allclose(at_zero, np.broadcast_to(at_zero[:1], at_zero.shape), atol=1e-6)
    mapping = gan.ema_generator.mapping
    mean_ws = ops.broadcast_to(mapping.w_avg, (1, mapping.num_ws, mapping.w_dim))
    np.testing.assert_allclose(at_zero[:1], numpy(gan.ema_generator.synthesize(mean_ws)),
                               atol=1e-6)
    np.testing.assert_allclose(gan.generate_from_latents(z, labels, truncation_psi=1.0), plain,
                               atol=1e-6)


def test_conditional_w_space_members_and_training_mix_take_labels():
    gan = tiny(num_classes=3, style_mixing_prob=1.0)
    z, other = latents(3, 0), latents(3, 1)
    labels = np.array([2, 0, 1], "int32")
    plain = gan.generate_from_latents(z, labels)
    np.testing.assert_allclose(gan.generate_from_ws(gan.map_latents(z, labels=labels)), plain,
                               atol=1e-6)
    np.testing.assert_allclose(gan.style_mix(z, z, 2, labels=labels), plain, atol=1e-6)
    assert not np.allclose(gan.style_mix(z, other, 2, labels=labels),
                           gan.style_mix(z, other, 2, labels=0), atol=1e-4)
    # In training the mixing latent keeps its image's labels: mixed with itself,
    # a latent gives its own ws.
    gan.sample_latent = lambda n: ops.convert_to_tensor(z)
    np.testing.assert_allclose(numpy(gan.mapping_forward(z, training=True, labels=labels)),
                               numpy(gan.generator.mapping([z, labels])), atol=1e-6)
    with pytest.raises(ganzoo.GanzooError, match="class-conditional.*labels"):
        gan.mapping_forward(z)


@pytest.mark.slow
def test_conditional_stylegan2_trains_with_labels_and_samples_by_class(tmp_path):
    gan = ganzoo.build("stylegan2", **TINY, num_classes=3)
    x, y = random_batch(gan, 4)
    # Step 0 runs every phase: Dmain, Dreg (R1), Gmain, Greg (path length).
    logs = gan.fit(x, y, batch_size=4, epochs=1, verbose=0).history
    for key in ("d_loss", "g_loss", "r1", "path_length"):
        assert np.isfinite(logs[key][0]) and logs[key][0] != 0, key
    assert pl_mean(gan) > 0
    assert not np.allclose(gan.generate(2, seed=3, labels=0), gan.generate(2, seed=3, labels=2),
                           atol=1e-4)
    gan.save(tmp_path / "gan.keras")
    loaded = ganzoo.load(tmp_path / "gan.keras")
    assert loaded.num_classes == 3
    np.testing.assert_array_equal(loaded.generate(3, seed=7, labels=[0, 1, 2]),
                                  gan.generate(3, seed=7, labels=[0, 1, 2]))

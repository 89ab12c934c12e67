"""ProGAN: conformance, schedule, fade-in, resume mid-fade, low-res stages."""

import os
import warnings

import keras
import numpy as np
import pytest
from ganzoo_progan.blocks import downscale2d, upscale2d
from ganzoo_progan.gan import ProGAN
from ganzoo_progan.schedule import progan_schedule
from keras import ops

import ganzoo
from ganzoo.layers import EqualizedConv2D
from ganzoo.testing import run_architecture_test

TINY = {
    "image_size": 16,
    "channels": 1,
    "latent_dim": 8,
    "base_filters": 32,
    "max_filters": 8,
    "batch_size": 4,
    "images_per_stage": 16,  # 4 steps per stage at batch 4
}


def _arch():
    return ganzoo.get_architecture("progan")


def _values(layers):
    return [np.array(w) for layer in layers for w in layer.get_weights()]


def _fit(gan, steps, batch, size, seed=0, callbacks=None):
    x = np.random.default_rng(seed).uniform(-1, 1, (steps * batch, size, size, 1))
    return gan.fit(
        x.astype("float32"),
        batch_size=batch,
        shuffle=False,
        verbose=0,
        callbacks=callbacks,
    )


class SaveAtBatch(keras.callbacks.Callback):
    """Saves the model inside fit, as a checkpoint callback does."""

    def __init__(self, batch, path):
        super().__init__()
        self.batch, self.path = batch, path

    def on_train_batch_end(self, batch, logs=None):
        if batch == self.batch:
            self.model.save(self.path)


def test_conformance():
    gan = run_architecture_test("progan", TINY, steps=2)
    assert isinstance(gan, ProGAN) and gan.use_ema and gan.ema_decay == 0.999
    assert [r.name for r in gan.regularizer_list] == ["gp", "drift"]
    assert [r.weight for r in gan.regularizer_list] == [10.0, 0.001]
    opt = gan.g_optimizer
    assert (float(opt.learning_rate), float(opt.beta_1), float(opt.beta_2)) == (
        pytest.approx(1e-3),
        0.0,
        pytest.approx(0.99),
    )


def test_paper_defaults():
    config = _arch().make_config()
    assert (config.image_size, config.latent_dim, config.images_per_stage) == (
        1024,
        512,
        800_000,
    )
    assert [config.batch_size_at(r) for r in (4, 128, 256, 512, 1024)] == [
        16,
        16,
        14,
        6,
        3,
    ]
    from ganzoo_progan.config import filters_at

    widths = [
        filters_at(lv, config.base_filters, config.max_filters) for lv in range(9)
    ]
    assert widths == [512, 512, 512, 512, 256, 128, 64, 32, 16]
    with pytest.raises(ganzoo.ConfigError, match="batch_sizes"):
        _arch().make_config(batch_sizes="256=14")
    with pytest.raises(ganzoo.ConfigError, match="image_size"):
        _arch().make_config(image_size=2048)


def test_schedule_boundaries():
    config = _arch().make_config(**{**TINY, "fade_images": 8, "batch_sizes": "16:2"})
    schedule = progan_schedule(config)
    got = [
        (p.name, p.level, p.fading, p.start, p.steps, p.batch_size)
        for p in schedule.stages
    ]
    assert got == [
        ("4x4", 0, False, 0, 4, 4),
        ("8x8-fade", 1, True, 4, 2, 4),
        ("8x8-stabilize", 1, False, 6, 4, 4),
        ("16x16-fade", 2, True, 10, 4, 2),  # 8 images at batch 2
        ("16x16-stabilize", 2, False, 14, 8, 2),
    ]
    expect = {
        0: (0, 1.0), 3: (0, 1.0), 4: (1, 0.0), 5: (1, 0.5), 6: (1, 1.0),
        9: (1, 1.0), 10: (2, 0.0), 11: (2, 0.25), 13: (2, 0.75), 14: (2, 1.0),
        22: (2, 1.0), 99: (2, 1.0),
    }  # fmt: skip
    for step, (level, alpha) in expect.items():
        assert (schedule.stage_at(step).level, schedule.alpha_at(step)) == (
            level,
            alpha,
        )
    # Training stages carry each growth stage's resolution and batch size.
    stages = _arch().training_stages(config, None)
    assert [(p.steps, p.image_size, p.batch_size) for p in stages] == [
        (4, 4, 4), (2, 8, 4), (4, 8, 4), (4, 16, 2), (8, 16, 2),
    ]  # fmt: skip


def test_schedule_fits_total_steps():
    config = _arch().make_config(**TINY)  # paper-like schedule: 5 stages x 4 steps
    longer = progan_schedule(config, 30)
    assert [p.steps for p in longer.stages] == [4, 4, 4, 4, 14]
    shorter = progan_schedule(config, 10)  # each stage's images scaled by 1/2
    assert [p.steps for p in shorter.stages] == [2, 2, 2, 2, 2]
    odd = progan_schedule(config, 11)
    assert [p.steps for p in odd.stages] == [2, 2, 2, 2, 3]
    assert progan_schedule(config, 5).total_steps == 5
    with pytest.raises(ganzoo.ConfigError, match="5 growth stages"):
        progan_schedule(config, 4)
    # Paper defaults: 800k images at batch 16 = 50k steps per stage.
    paper = progan_schedule(_arch().make_config(image_size=32))
    assert [p.steps for p in paper.stages] == [50_000] * 7


def test_fade_in_starts_at_previous_level_and_moves_continuously():
    config = _arch().make_config(**TINY)
    gan = _arch().build(config)
    g, d = gan.generator, gan.discriminator
    z = gan.latents(3, seed=0)
    for level in (1, 2):
        previous = ops.convert_to_numpy(g(z, level=level - 1, training=True))
        new = ops.convert_to_numpy(g(z, level=level, training=True))
        outs = [ops.convert_to_numpy(g(z, level=level, alpha=a, training=True))
                for a in np.linspace(0, 1, 11)]  # fmt: skip
        np.testing.assert_array_equal(outs[0], ops.convert_to_numpy(upscale2d(previous)))
        np.testing.assert_allclose(outs[-1], new, atol=1e-6)
        steps = np.diff(np.stack(outs), axis=0)  # equal steps: linear in alpha
        np.testing.assert_allclose(
            steps, np.broadcast_to(steps[:1], steps.shape), atol=1e-5
        )
        assert np.abs(new - outs[0]).max() > 0
        # D at alpha 0 sees only the down-sampled image through the lower level.
        x = np.random.default_rng(level).uniform(
            -1, 1, (4, 4 * 2**level, 4 * 2**level, 1)
        )
        x = x.astype("float32")
        np.testing.assert_allclose(
            ops.convert_to_numpy(d(x, alpha=0.0)),
            ops.convert_to_numpy(d(downscale2d(x))),
            rtol=1e-5,
            atol=1e-5,
        )
    # Generation outside training is clipped to [-1, 1].
    out = ops.convert_to_numpy(g(z, level=2))
    assert out.min() >= -1 and out.max() <= 1


def test_low_res_stage_runs_and_updates_only_low_res_layers(monkeypatch):
    config = _arch().make_config(**TINY)
    gan = _arch().build(config)
    # Record every conv the traced train step runs.
    traced = []
    conv_call = EqualizedConv2D.call

    def spy(self, *args, **kwargs):
        traced.append(self.path)
        return conv_call(self, *args, **kwargs)

    monkeypatch.setattr(EqualizedConv2D, "call", spy)
    g, d = gan.generator, gan.discriminator
    low = [g.blocks[0], g.to_rgb[0], d.from_rgb[0], d.blocks[0]]
    high = [*g.blocks[1:], *g.to_rgb[1:], *d.from_rgb[1:], *d.blocks[1:]]
    trained = {id(v) for v in gan.generator.trainable_variables}
    trained |= {id(v) for v in gan.discriminator.trainable_variables}
    assert trained == {id(v) for layer in low for v in layer.trainable_weights}
    # The optimizers hold state for the 4x4 layers only (+ iteration, lr each).
    n_low = sum(len(la.trainable_weights) for la in low)
    assert (
        len(gan.g_optimizer.variables) + len(gan.d_optimizer.variables) == 4 + 2 * n_low
    )
    low_before, high_before = _values(low), _values(high)
    _fit(gan, 2, 4, 4)
    assert gan.progress_info() == {"stage": "4x4", "resolution": 4, "alpha": 1.0}
    levels = {path.split("/")[1].rsplit("_", 1)[1] for path in traced}
    assert levels == {"4"}, f"the 4x4 step ran {sorted(set(traced))}"
    assert all(
        np.array_equal(a, b) for a, b in zip(high_before, _values(high), strict=True)
    )
    assert any(
        not np.array_equal(a, b) for a, b in zip(low_before, _values(low), strict=True)
    )


def test_resume_mid_fade_restores_alpha_level_and_outputs(tmp_path):
    config = _arch().make_config(**TINY)
    stages = _arch().training_stages(config, None)  # 4 steps per stage
    gan = _arch().build(config)
    stages[0].enter(gan)
    boundary = os.path.join(tmp_path, "end_of_4x4.keras")
    _fit(gan, 4, 4, 4, callbacks=[SaveAtBatch(3, boundary)])  # a checkpoint at step 4
    stages[1].enter(gan)
    assert gan.progress_info() == {"stage": "8x8-fade", "resolution": 8, "alpha": 0.0}
    history = _fit(gan, 2, 4, 8, seed=1)  # alpha is updated inside the step
    assert gan.progress_info() == {"stage": "8x8-fade", "resolution": 8, "alpha": 0.5}
    # The logs show the alpha the last step used and the resolution.
    assert (history.history["alpha"], history.history["resolution"]) == ([0.25], [8.0])
    assert gan.generate(2, seed=0).shape == (2, 8, 8, 1)

    path = os.path.join(tmp_path, "mid_fade.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, ProGAN)
    assert (loaded.level, loaded.fading, loaded.step) == (1, True, 6)
    assert loaded.progress_info() == gan.progress_info()
    np.testing.assert_allclose(
        loaded.generate(3, seed=5), gan.generate(3, seed=5), atol=1e-6
    )
    for a, b in (
        (gan.g_optimizer, loaded.g_optimizer),
        (gan.d_optimizer, loaded.d_optimizer),
    ):
        assert len(a.variables) == len(b.variables)
        for u, v in zip(a.variables, b.variables, strict=True):
            np.testing.assert_array_equal(np.asarray(u), np.asarray(v))

    # Both finish the fade-in identically and move on to the stabilization stage.
    for model in (gan, loaded):
        stages[1].enter(model)
        _fit(model, 2, 4, 8, seed=2)
        assert model.progress_info() == {
            "stage": "8x8-stabilize", "resolution": 8, "alpha": 1.0,
        }  # fmt: skip
    for u, v in zip(gan.generator.weights, loaded.generator.weights, strict=True):
        np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=1e-4, atol=1e-5)

    # A checkpoint written inside fit at the last step of a stage loads in that
    # stage (its optimizer state matches), and enter moves it on like the original.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # Keras skipping optimizer state
        at_boundary = keras.saving.load_model(boundary)
    assert (at_boundary.stage.name, at_boundary.step) == ("4x4", 4)
    stages[1].enter(at_boundary)
    assert at_boundary.progress_info() == {
        "stage": "8x8-fade", "resolution": 8, "alpha": 0.0,
    }  # fmt: skip


def test_runs_and_models_saved_before_the_stage_rename_still_load():
    # Saved run configs and --set lines may spell the old key...
    old = {k: v for k, v in TINY.items() if k != "images_per_stage"}
    config = _arch().make_config(**old, images_per_phase="16")
    assert config == _arch().make_config(**TINY)
    # ...and a .keras file written then records its stage as "progan_phase".
    gan = ganzoo.build("progan", **TINY)
    store: dict = {}
    gan.save_own_variables(store)
    assert int(store.pop("progan_stage")) == 0
    store["progan_phase"] = np.array(1)  # a model saved in 8x8-fade
    loaded = ganzoo.build("progan", **TINY)
    loaded.load_own_variables(store)
    assert loaded.stage.name == "8x8-fade"

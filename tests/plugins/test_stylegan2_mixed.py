"""stylegan2's per-layer mixed precision: the top ``num_fp16_res`` resolutions in
float16/bfloat16 with clamped activations, the rest float32."""

import numpy as np
import pytest
from ganzoo_stylegan2.layers import lowest_mixed_resolution
from keras import ops

import ganzoo
from ganzoo import backends

# 16x16: blocks 4, 8, 16; num_fp16_res=1 puts the 16x16 block (G and D) in the mixed dtype.
TINY = {"image_size": 16, "channels": 1, "latent_dim": 8, "w_dim": 8,
        "base_filters": 128, "max_filters": 8, "batch_size": 4}


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def policies(gan) -> dict:
    """Layer name -> dtype policy name, for the synthesis and D layers that carry one."""
    synthesis, d = gan.generator.synthesis, gan.discriminator
    layers = [*synthesis.convs, *synthesis.to_rgb, d.from_rgb, d.epilogue_conv,
              *(layer for block in d.blocks for layer in block if layer is not None)]
    out = {}
    for layer in layers:
        for sub in backends.layers_of(layer):  # the layer and every layer inside it
            out[f"{layer.name}/{sub.name}"] = sub.dtype_policy.name
    return out


def with_weights_of(gan, source):
    for network in ("generator", "discriminator", "ema_generator"):
        for a, b in zip(getattr(source, network).weights, getattr(gan, network).weights,
                        strict=True):
            b.assign(a)
    return gan


def test_the_reference_rule_for_the_lowest_mixed_resolution():
    assert lowest_mixed_resolution(1024, 4) == 128  # stylegan2-ada-pytorch at 1024
    assert lowest_mixed_resolution(32, 2) == 16
    assert lowest_mixed_resolution(32, 9) == 8  # never 4x4
    assert lowest_mixed_resolution(32, 0) > 32  # none


@pytest.mark.parametrize("mixed_dtype", ["float16", "bfloat16"])
def test_top_blocks_compute_in_the_mixed_dtype_and_stay_close_to_float32(mixed_dtype):
    plain = ganzoo.build("stylegan2", **TINY)
    mixed = with_weights_of(
        ganzoo.build("stylegan2", **TINY, num_fp16_res=1, mixed_dtype=mixed_dtype), plain)
    assert mixed.generator.conv_clamp == 256.0  # the reference's clamp comes with fp16
    for name, policy in policies(mixed).items():
        top = name.startswith(("b16_", "fromrgb"))
        assert policy == (f"mixed_{mixed_dtype}" if top else "float32"), name
    assert set(policies(plain).values()) == {"float32"}
    # Variables stay float32 everywhere.
    assert {v.dtype for v in mixed.generator.weights + mixed.discriminator.weights} == {"float32"}

    a, b = plain.generate(4, seed=0), mixed.generate(4, seed=0)
    assert b.dtype == np.float32 and np.isfinite(b).all()
    tolerance = 0.02 if mixed_dtype == "float16" else 0.1  # bfloat16 keeps 8 mantissa bits
    np.testing.assert_allclose(b, a, atol=tolerance)
    assert not np.array_equal(a, b)  # the top block really ran in half precision
    logits_a, logits_b = numpy(plain.discriminator(a)), numpy(mixed.discriminator(a))
    assert logits_b.dtype == np.float32
    np.testing.assert_allclose(logits_b, logits_a, atol=tolerance, rtol=tolerance)


def test_conv_clamp_bounds_every_activation():
    gan = ganzoo.build("stylegan2", **TINY, conv_clamp=1e-3)
    layer = gan.generator.synthesis.convs[-1]
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 8)).astype("float32") * 100
    w = np.random.default_rng(1).normal(size=(2, 8)).astype("float32")
    out = numpy(layer(x, w, noise_mode="none"))
    assert np.abs(out).max() == pytest.approx(1e-3)
    assert np.abs(gan.generate(2, seed=0)).max() <= 3 * 1e-3 + 1e-6  # three toRGBs summed


@pytest.mark.slow
def test_mixed_model_trains_and_saves(tmp_path):
    gan = ganzoo.build("stylegan2", **TINY, num_fp16_res=2, r1_interval=2, pl_interval=2)
    images = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype("float32")
    history = gan.fit(images, batch_size=4, epochs=2, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    gan.save(tmp_path / "gan.keras")
    loaded = ganzoo.load(tmp_path / "gan.keras")
    assert policies(loaded) == policies(gan)
    assert "mixed_float16" in policies(loaded).values()
    np.testing.assert_array_equal(loaded.generate(2, seed=3), gan.generate(2, seed=3))

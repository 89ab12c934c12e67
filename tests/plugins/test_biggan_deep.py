"""BigGAN-deep: conformance, and its defining properties: blocks per resolution,
bottleneck widths, G's channel-dropping skip, D's channel-concatenating skip,
the whole z with the shared embedding in every conditional batch norm, D's
output and the registered conditionings of D."""

from itertools import pairwise

import keras
import numpy as np
import pytest
from ganzoo_biggan.blocks import KeepChannels, LayerOptions, d_block, g_block

import ganzoo
from ganzoo.conditioning.head import find
from ganzoo.layers import ConditionalBatchNormalization, SNConv2D
from ganzoo.testing import run_architecture_test

LATENT, SHARED = 6, 4
# 16x16: G 16 -> 8 -> 4 channels (4x4, 8x8, 16x16), D 4 -> 8 -> 16, so every
# resolution changes the width and both kinds of skip have work to do.
TINY = {
    "image_size": 16,
    "channels": 1,
    "num_classes": 4,
    "latent_dim": LATENT,
    "shared_dim": SHARED,
    "base_filters": 4,
    "channel_multipliers": (4, 2, 1),
    "d_channel_multipliers": (1, 2, 4),
    "batch_size": 4,
    "ema_start": 1,
}
G_WIDTHS, D_WIDTHS = (16, 8, 4), (4, 8, 16)


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


@pytest.fixture(scope="module")
def trained():
    """A tiny BigGAN-deep after the conformance kit's training and save/load checks."""
    # self-attention off: the same layer as biggan's (tested there), a fifth of the time
    return run_architecture_test("biggan-deep", {**TINY, "attention_resolution": 0}, steps=1)


def _config(**overrides):
    return ganzoo.get_architecture("biggan-deep").make_config(**{**TINY, **overrides})


def test_conformance_and_paper_settings(trained):
    assert trained.loss_fn.name == "hinge" and trained.d_steps == 1
    assert trained.use_ema and [r.name for r in trained.regularizer_list] == ["orthogonal"]
    config = ganzoo.get_architecture("biggan-deep").make_config()
    assert (config.base_filters, config.latent_dim, config.shared_dim) == (128, 128, 128)
    assert (config.blocks_per_resolution, config.channel_ratio) == (2, 4)
    assert config.resolved_attention_resolution == 64 and not config.hierarchical_z
    assert (config.g_learning_rate, config.d_learning_rate) == (1e-4, 4e-4)


def _blocks(model):
    """{resolution level: [block names]} from the ``block{level}_{index}_add`` layers."""
    levels = {}
    for layer in model.layers:
        if layer.name.startswith("block") and layer.name.endswith("_add"):
            level, index = layer.name[5:-4].split("_")
            levels.setdefault(int(level), []).append(f"block{level}_{index}")
    return levels


@pytest.mark.parametrize("depth", [2, 3])
def test_blocks_per_resolution(trained, depth):
    gan = trained if depth == 2 else ganzoo.build("biggan-deep", **TINY,
                                                  blocks_per_resolution=depth)
    g, d = gan.generator, gan.discriminator
    for model in (g, d):
        assert {k: len(v) for k, v in _blocks(model).items()} == {1: depth, 2: depth}
    for names in _blocks(g).values():  # only the last block of a resolution up-samples
        ups = [n for n in names if n + "_up" in {layer.name for layer in g.layers}]
        assert ups == names[-1:]
    for names in _blocks(d).values():  # only the first block of a resolution pools
        pools = [n for n in names if n + "_pool" in {layer.name for layer in d.layers}]
        assert pools == names[:1]
    sizes = [g.get_layer(f"{names[-1]}_add").output.shape[1] for names in _blocks(g).values()]
    assert sizes == [8, 16]


def _kernel(model, name):
    return tuple(model.get_layer(name).kernel.shape)


def test_bottleneck_convs_reduce_channels_by_the_ratio(trained):
    g, d = trained.generator, trained.discriminator
    # G: 1x1 from the input width to width / 4, two 3x3, 1x1 out to the output width
    for level, (width_in, width_out) in enumerate(pairwise(G_WIDTHS), 1):
        for index, out in ((1, width_in), (2, width_out)):
            name, hidden = f"block{level}_{index}", width_in // 4
            assert _kernel(g, f"{name}_conv1") == (1, 1, width_in, hidden)
            assert _kernel(g, f"{name}_conv2") == (3, 3, hidden, hidden)
            assert _kernel(g, f"{name}_conv3") == (3, 3, hidden, hidden)
            assert _kernel(g, f"{name}_conv4") == (1, 1, hidden, out)
    # D: the bottleneck is the output width / 4
    for level, (width_in, width_out) in enumerate(pairwise(D_WIDTHS), 1):
        for index, into in ((1, width_in), (2, width_out)):
            name, hidden = f"block{level}_{index}", width_out // 4
            assert _kernel(d, f"{name}_conv1") == (1, 1, into, hidden)
            assert _kernel(d, f"{name}_conv4") == (1, 1, hidden, width_out)
    wide = ganzoo.build("biggan-deep", **TINY, channel_ratio=2)
    assert _kernel(wide.generator, "block1_1_conv1") == (1, 1, 16, 8)


def _skip(block, name):
    """The block's skip connection as a model: the first input of its final Add."""
    return keras.Model(block.input, block.get_layer(f"{name}_add").input[0])


def test_g_skip_drops_channels_without_a_conv(trained):
    # in the network: no conv on G's skips, a KeepChannels where the width halves
    g = trained.generator
    assert not [la.name for la in g.layers if isinstance(la, SNConv2D) and "skip" in la.name]
    keeps = {la.name: la.channels for la in g.layers if isinstance(la, KeepChannels)}
    assert keeps == {"block1_2_keep_channels": 8, "block2_2_keep_channels": 4}
    # a block's skip is exactly up(x[..., :out])
    x_in, c_in = keras.Input((4, 4, 8)), keras.Input((5,))
    block = keras.Model([x_in, c_in], g_block(x_in, c_in, 4, True, 4, "b", LayerOptions()))
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 8)).astype("float32")
    c = np.random.default_rng(1).normal(size=(2, 5)).astype("float32")
    skip = _numpy(_skip(block, "b")([x, c]))
    np.testing.assert_array_equal(skip, x[..., :4].repeat(2, 1).repeat(2, 2))


def test_d_skip_keeps_the_input_and_concatenates_learned_channels():
    x_in = keras.Input((8, 8, 4))
    block = keras.Model(x_in, d_block(x_in, 12, True, 4, "b", LayerOptions()))
    assert _kernel(block, "b_skip_conv") == (1, 1, 4, 8)  # only the missing channels
    x = np.random.default_rng(2).normal(size=(2, 8, 8, 4)).astype("float32")
    skip = _numpy(_skip(block, "b")(x, training=True))
    pooled = x.reshape(2, 4, 2, 4, 2, 4).mean(axis=(2, 4))
    np.testing.assert_allclose(skip[..., :4], pooled, atol=1e-6)  # the input, unperturbed
    assert skip.shape == (2, 4, 4, 12) and np.abs(skip[..., 4:]).max() > 0  # conv's channels
    unchanged = keras.Input((4, 4, 12))  # a block that keeps the width: identity skip
    same = keras.Model(unchanged, d_block(unchanged, 12, False, 4, "s", LayerOptions()))
    y = np.random.default_rng(3).normal(size=(2, 4, 4, 12)).astype("float32")
    np.testing.assert_array_equal(_numpy(_skip(same, "s")(y)), y)


def test_every_block_gets_the_whole_z_and_the_embedding(trained):
    g = trained.generator
    condition = g.get_layer("condition").output
    assert tuple(condition.shape) == (None, SHARED + LATENT)
    norms = [la for la in g.layers if isinstance(la, ConditionalBatchNormalization)]
    assert len(norms) == 4 * 2 * 2  # four per block, two blocks, two resolutions
    for norm in norms:
        assert norm.input[1] is condition, norm.name
    assert tuple(g.get_layer("project").kernel.shape) == (SHARED + LATENT, 16 * G_WIDTHS[0])
    # behaviour: the last coordinate of z alone moves G's output (no chunk reaches one block)
    z = np.random.default_rng(3).normal(size=(2, LATENT)).astype("float32")
    moved = z.copy()
    moved[:, -1] += 1.0
    labels = np.array([1, 2], "int32")
    base = _numpy(g([z, labels], training=False))
    assert not np.allclose(base, _numpy(g([moved, labels], training=False)))


def test_discriminator_output_shape(trained):
    d = trained.discriminator
    x = np.zeros((3, 16, 16, 1), "float32")
    out = d([x, np.array([0, 1, 3], "int32")], training=False)
    assert tuple(out.shape) == (3, 1)
    assert tuple(d.get_layer("input_conv").kernel.shape) == (3, 3, 1, D_WIDTHS[0])


def test_a_registered_conditioning_replaces_projection():
    gan = ganzoo.build("biggan-deep", **TINY, d_conditioning="acgan")
    head = find(gan.discriminator)
    assert head.name == "acgan" and head is gan.conditioning
    labels = np.array([0, 3], "int32")
    rng = np.random.default_rng(4)
    real, fake = (gan.discriminator([rng.uniform(-1, 1, (2, 16, 16, 1)).astype("float32"),
                                     labels], training=False) for _ in range(2))
    assert set(real) == {"logits", "class_logits"}
    assert tuple(real["logits"].shape) == (2, 1) and tuple(real["class_logits"].shape) == (2, 4)
    # its loss terms read this D's outputs (the train step adds them to D's and G's losses)
    for term in (head.discriminator_term(real, fake, labels), head.generator_term(fake, labels)):
        value = float(_numpy(term))
        assert np.isfinite(value) and value > 0


def test_config_errors():
    with pytest.raises(ganzoo.ConfigError, match="hierarchical_z"):
        _config(hierarchical_z=True)
    with pytest.raises(ganzoo.ConfigError, match="channel_multipliers"):
        _config(channel_multipliers=(1, 2, 4))  # G's skips cannot add channels
    with pytest.raises(ganzoo.ConfigError, match="d_channel_multipliers"):
        _config(d_channel_multipliers=(4, 2, 1))  # D's skips cannot drop them
    with pytest.raises(ganzoo.ConfigError, match="channel_ratio"):
        _config(channel_ratio=16)  # the 8-channel blocks would have no bottleneck
    with pytest.raises(ganzoo.ConfigError, match="num_classes"):
        _config(num_classes=0)


def test_presets():
    arch, small = ganzoo.get_preset("biggan-deep-fashion-mnist-32")
    assert arch.name == "biggan-deep" and small.train["dataset"] == "fashion_mnist"
    config = arch.make_config(**small.config)
    assert (config.image_size, config.channels, config.num_classes) == (32, 1, 10)
    _, paper = ganzoo.get_preset("biggan-deep-imagenet-128")
    config = arch.make_config(**paper.config)
    assert (config.image_size, config.num_classes, config.base_filters) == (128, 1000, 128)
    assert (config.latent_dim, config.shared_dim, config.attention_resolution) == (128, 128, 64)
    assert config.blocks_per_resolution == 2 and paper.train == {"batch_size": 256}

"""Presets: named configurations listed, looked up and built through ganzoo's API."""

import pytest

import ganzoo
from ganzoo.architecture import Preset

# The Fashion-MNIST runs the docs report numbers for, one preset each.
DOCUMENTED = {
    "dcgan-fashion-mnist-32": "dcgan",
    "cgan-fashion-mnist-32": "cgan",
    "lsgan-fashion-mnist-32": "lsgan",
    "wgan-gp-fashion-mnist-32": "wgan-gp",
    "progan-fashion-mnist-32": "progan",
    "sagan-fashion-mnist-32": "sagan",
    "biggan-fashion-mnist-32": "biggan",
    "stylegan-fashion-mnist-32": "stylegan",
    "stylegan2-fashion-mnist-32": "stylegan2",
}


def test_documented_runs_are_presets_of_their_architecture():
    listed = {preset.name: arch for arch, preset in ganzoo.list_presets()}
    assert DOCUMENTED.items() <= listed.items()
    names = [preset.name for _, preset in ganzoo.list_presets()]
    assert names == sorted(names) and len(names) == len(set(names))


def test_the_readme_run():
    arch, preset = ganzoo.get_preset("dcgan-fashion-mnist-32")
    assert arch.name == "dcgan" and isinstance(preset, Preset)
    assert preset.config == {"image_size": 32, "channels": 1, "base_filters": 32,
                             "kernel_size": 4}
    assert preset.train == {"dataset": "fashion_mnist", "batch_size": 64, "steps": 1500}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_preset_is_a_valid_config(name):
    arch, preset = ganzoo.get_preset(name)
    config = arch.make_config(**preset.config)
    for key, value in preset.config.items():
        assert getattr(config, key) == value
    assert preset.description and preset.train["dataset"] == "fashion_mnist"
    assert preset.train["steps"] > 0 and preset.train["batch_size"] > 0


def test_build_applies_the_preset_then_the_overrides():
    gan = ganzoo.build(preset="dcgan-fashion-mnist-32", base_filters=4)
    assert gan.generator.output_shape == (None, 32, 32, 1)
    first = gan.discriminator.get_layer("down1")
    assert first.filters == 4 and first.kernel_size == (4, 4)
    same = ganzoo.build("dcgan", preset="dcgan-fashion-mnist-32", base_filters=4)
    assert same.generator.count_params() == gan.generator.count_params()


def test_unknown_preset_names_the_closest():
    with pytest.raises(ganzoo.UnknownNameError, match="did you mean 'dcgan-fashion-mnist-32'"):
        ganzoo.get_preset("dcgan-fashion-mnist")
    with pytest.raises(ganzoo.UnknownNameError, match="unknown preset"):
        ganzoo.build(preset="no-such-preset")


def test_preset_of_another_architecture_is_an_error():
    with pytest.raises(ganzoo.GanzooError, match="is for architecture 'dcgan', not 'cgan'"):
        ganzoo.build("cgan", preset="dcgan-fashion-mnist-32")
    with pytest.raises(ganzoo.GanzooError, match="architecture name or preset"):
        ganzoo.build()

import dataclasses
import typing

import pytest

from ganzoo.config import (
    ArchitectureConfig,
    GANConfig,
    config_to_dict,
    parse_assignments,
    resolve_config,
)
from ganzoo.errors import ConfigError


@dataclasses.dataclass
class Demo(GANConfig):
    filters: tuple[int, ...] = (8, 16)
    use_ema: bool = False
    lr: float = 2e-4


def test_defaults_and_overrides_round_trip():
    config = resolve_config(Demo, {"image_size": "64", "lr": "1e-3", "use_ema": "yes",
                                   "filters": "4,8,16"})
    assert config.image_size == 64 and config.lr == 1e-3 and config.use_ema is True
    assert config.filters == (4, 8, 16)
    assert resolve_config(Demo, config_to_dict(config)) == config


def test_unknown_key_names_valid_ones():
    with pytest.raises(ConfigError, match="image_sise.*did you mean 'image_size'"):
        resolve_config(Demo, {"image_sise": 32})


@pytest.mark.parametrize(
    "key, value, fragment",
    [("image_size", 24, "power of two"), ("channels", 2, "1 or 3"),
     ("lr", "fast", "expected float"), ("batch_size", 0, "positive")],
)
def test_bad_values_name_key_and_fix(key, value, fragment):
    with pytest.raises(ConfigError, match=fragment) as info:
        resolve_config(Demo, {key: value})
    assert key in str(info.value)


def test_parse_assignments():
    assert parse_assignments(["a=1", "b = x"]) == {"a": "1", "b": "x"}
    with pytest.raises(ConfigError, match="key=value"):
        parse_assignments(["novalue"])


def test_every_config_has_latent_dim_num_classes_and_seed():
    # seed is never declared by a plugin: every config has it, default 0.
    assert [f.name for f in dataclasses.fields(ArchitectureConfig)] == [
        "latent_dim", "num_classes", "seed"]
    assert {"latent_dim", "num_classes", "seed", "image_size", "channels",
            "batch_size"} == {f.name for f in dataclasses.fields(GANConfig)}
    assert resolve_config(Demo).seed == 0 and resolve_config(Demo, {"seed": "3"}).seed == 3
    with pytest.raises(ConfigError, match="latent_dim"):
        resolve_config(ArchitectureConfig, {"latent_dim": 0})


@dataclasses.dataclass
class Renamed(ArchitectureConfig):
    steps_per_stage: int = 4
    renamed_keys: typing.ClassVar[dict[str, str]] = {"steps_per_phase": "steps_per_stage"}


def test_renamed_keys_still_read():
    assert resolve_config(Renamed, {"steps_per_phase": "7"}).steps_per_stage == 7
    assert "renamed_keys" not in config_to_dict(resolve_config(Renamed))

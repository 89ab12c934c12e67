"""``--preset NAME``: a preset's settings under whatever the user gave explicitly.

A preset (``ganzoo.Preset``) carries architecture config overrides
(``config``) and training settings (``train``: dataset, batch_size, steps...).
Config values go beneath ``--config`` and ``--set``; training settings fill
only the ``ganzoo train`` options that were not given on the command line.
"""

from __future__ import annotations

from typing import Any

import click
from click.core import ParameterSource

from ganzoo_cli.errors import CLIError

# Keys of Preset.train that are architecture config fields, not train options.
CONFIG_KEYS = ("batch_size", "image_size")
# Keys of Preset.train that ``ganzoo train`` takes as options of the same name.
TRAIN_KEYS = (
    "dataset", "steps", "epochs", "seed", "precision", "real_transforms", "sample_every",
    "checkpoint_every", "skip_bad_images", "eval_every", "eval_metric",
    "eval_num_samples", "eval_extractor", "eval_weights", "regularizers", "topk", "freeze_d",
    "latent_optimization",
)
OLD_KEYS = {"augment": "real_transforms"}  # names a preset may still use


def describe(preset: Any) -> str:
    """``key=value`` pairs of a preset's config then training settings, for listings."""
    items = {**preset.config, **preset.train}
    return " ".join(f"{k}={v}" for k, v in items.items())


def apply_preset(ctx: click.Context, name: str, params: dict[str, Any]) -> tuple[str, dict]:
    """Fill ``params`` (the train command's values) from preset ``name``.

    Returns the preset's architecture name and its config overrides. Options
    the user gave explicitly keep their values; ``--steps`` or ``--epochs``
    given by the user also drops the preset's other one.
    """
    import ganzoo

    arch, preset = ganzoo.get_preset(name)
    if params.get("arch") and params["arch"] != arch.name:
        raise CLIError(f"preset '{name}' is for architecture '{arch.name}', not "
                       f"'{params['arch']}'; drop --arch or pick one of its presets "
                       f"(ganzoo list --presets)")
    config = dict(preset.config)
    train = {OLD_KEYS.get(key, key): value for key, value in preset.train.items()}
    unknown = sorted(set(train) - set(CONFIG_KEYS) - set(TRAIN_KEYS))
    if unknown:
        raise CLIError(f"preset '{name}' has training settings ganzoo train does not know: "
                       f"{', '.join(unknown)}; known: {', '.join(CONFIG_KEYS + TRAIN_KEYS)}")
    explicit = {key for key in TRAIN_KEYS if _given(ctx, key)}
    if explicit & {"steps", "epochs"}:
        explicit |= {"steps", "epochs"}  # one length only: the user's
    for key, value in train.items():
        if key in CONFIG_KEYS:
            config[key] = value
        elif key not in explicit:
            if key == "regularizers":
                value = (value,) if isinstance(value, str) else tuple(value)
            params[key] = ",".join(value) if key == "real_transforms" and \
                not isinstance(value, str) else value
    return arch.name, config


def _given(ctx: click.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)

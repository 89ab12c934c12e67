"""Importing facebookresearch/pytorch_GAN_zoo's PGAN (``pytorch-gan-zoo-pgan`` format).

pytorch_GAN_zoo's ProGAN model saves a training checkpoint with
``torch.save`` of a dict: ``config`` (a plain record of the model's settings:
``depthScale0``, ``depthOtherScales``, ``alpha``, ``miniBatchStdDev``,
``latentVectorDim`` ...), the state dicts ``netG`` and ``netD``, and ``avgG``
(the moving average of G's weights). Its torch.hub models (celebAHQ-256,
celebAHQ-512, DTD, celeba) are such checkpoints. A bare generator state
dict (``netG.state_dict()`` saved alone) imports too; it has no config, so
it imports at the end of its last fade-in, with a fresh discriminator.

The networks are ganzoo's ProGAN with these correspondences:

- widths: ``depthScale0`` then ``depthOtherScales`` are the channels of
  levels 0, 1, ...; they must be ``filters_at``'s ``min(base / 2^(l+1), max)``
  for some ``base_filters`` and ``max_filters = depthScale0`` (the published
  ones, 512 x4, 256, 128, 64, 32, 16, are NVIDIA's);
- every layer is an equalized one whose runtime scale also multiplies the
  bias (``sqrt(2 / fan_in)`` on weight and bias, or 1 without equalized
  learning rate). ganzoo scales only the kernel, by ``gain / sqrt(fan_in)``
  with NVIDIA's gains (sqrt(2)/4 for the latent dense layer, 1 for toRGB and
  the critic output), so each kernel is rescaled by the ratio of the two
  scales and each bias multiplied by the reference's: the same function;
- G's latent dense layer reshapes to channels-first 4x4 maps and D's first
  dense layer flattens them, so their weights are permuted to ganzoo's
  channels-last order; convs ``[out, in, kh, kw]`` -> ``[kh, kw, in, out]``;
- the fade-in weight is the other way round: the reference's ``alpha`` is
  the old (low-resolution) path's weight, ganzoo's the new level's, so
  ganzoo's alpha is ``1 - alpha``. A checkpoint saved during a fade-in
  imports in that fade-in stage, ``step_counter`` placed where the schedule
  gives that alpha;
- the minibatch standard deviation is the reference's (``minibatch_stddev =
  "pytorch-gan-zoo"``, or ``"off"`` when the checkpoint has none).

Checkpoints of AC-GANs (``categoryVectorDim > 0``), of a loss whose
generator ends in tanh (``MSE``, ``DCGAN``), without pixel normalization or
with another leaky ReLU slope do not import (one error line each).
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import numpy as np

from ganzoo.errors import GanzooError, ImporterError
from ganzoo.importers import assign, without_data_parallel_prefix
from ganzoo.importers.pth_reader import read_pth

FORMAT = "pytorch-gan-zoo-pgan"
DESCRIPTION = ("facebookresearch/pytorch_GAN_zoo's PGAN: a checkpoint its save writes (and "
               "torch.hub's PGAN models: config, netG, netD, avgG) or a bare G state dict")
FORMAT_KEY = "formatLayer.module.weight"
TANH_LOSSES = ("MSE", "DCGAN")


class ConfigRecord:
    """Stand-in for the reference's config class: keeps the pickled fields, runs nothing."""

    def __setstate__(self, state):
        self.fields = dict(state) if isinstance(state, dict) else {}


EXTRA_GLOBALS = {("models.utils.config", "BaseConfig"): ConfigRecord}


# -- reading --------------------------------------------------------------------
def _arrays(obj) -> dict[str, np.ndarray]:
    return without_data_parallel_prefix(
        {str(k): v for k, v in obj.items() if isinstance(v, np.ndarray)})


def read(path) -> tuple[dict[str, dict], dict | None]:
    """``({"netG": arrays, "netD": ..., "avgG": ...}, config fields or None)``."""
    try:
        obj = read_pth(path, EXTRA_GLOBALS)
    except GanzooError as e:
        message = str(e)
        raise ImporterError(message if str(path) in message else f"{path}: {message}") from None
    if isinstance(obj, dict) and isinstance(obj.get("netG"), dict):
        nets = {k: _arrays(obj[k]) for k in ("netG", "netD", "avgG")
                if isinstance(obj.get(k), dict)}
        config = obj.get("config")
        fields = config.fields if isinstance(config, ConfigRecord) else config
        return nets, dict(fields) if isinstance(fields, dict) else None
    if isinstance(obj, dict) and FORMAT_KEY in _arrays(obj):
        return {"netG": _arrays(obj)}, None
    keys = ", ".join(map(str, list(obj)[:4])) if isinstance(obj, dict) else type(obj).__name__
    raise ImporterError(f"{path} is not a pytorch_GAN_zoo PGAN checkpoint (no netG) or "
                        f"generator state dict (no {FORMAT_KEY}); it holds: {keys or 'nothing'}")


def _shape(arrays, key, ndim, path) -> tuple:
    if key not in arrays:
        raise ImporterError(f"{path} has no '{key}'; is it pytorch_GAN_zoo's PGAN?")
    if arrays[key].ndim != ndim:
        raise ImporterError(f"{path}: {key} has shape {arrays[key].shape}, not {ndim}-D")
    return arrays[key].shape


def network_sizes(g: dict, path) -> dict:
    """``latent_dim``, ``channels`` and the per-level ``depths`` of a G state dict."""
    rows, latent = _shape(g, FORMAT_KEY, 2, path)
    levels = sum(1 for k in g if k.startswith("toRGBLayers.") and k.endswith(".module.weight"))
    if levels == 0:
        raise ImporterError(f"{path} has no toRGBLayers; is it pytorch_GAN_zoo's PGAN?")
    depths = [_shape(g, f"toRGBLayers.{i}.module.weight", 4, path)[1] for i in range(levels)]
    channels = _shape(g, "toRGBLayers.0.module.weight", 4, path)[0]
    if rows != 16 * depths[0]:
        raise ImporterError(f"{path}: {FORMAT_KEY} has {rows} rows, not 16 x {depths[0]}")
    return {"latent_dim": int(latent), "channels": int(channels),
            "depths": [int(d) for d in depths]}


def _conv(out, inp, k):
    return {".module.weight": (out, inp, k, k), ".module.bias": (out,)}


def generator_shapes(latent: int, depths: list[int], channels: int) -> dict[str, tuple]:
    d0 = depths[0]
    layers = {"formatLayer": {".module.weight": (16 * d0, latent), ".module.bias": (16 * d0,)},
              "groupScale0.0": _conv(d0, d0, 3)}
    for i, (before, after) in enumerate(pairwise(depths)):
        layers[f"scaleLayers.{i}.0"] = _conv(after, before, 3)
        layers[f"scaleLayers.{i}.1"] = _conv(after, after, 3)
    for i, depth in enumerate(depths):
        layers[f"toRGBLayers.{i}"] = _conv(channels, depth, 1)
    return {name + end: s for name, ends in layers.items() for end, s in ends.items()}


def discriminator_shapes(depths: list[int], channels: int, stddev: bool) -> dict[str, tuple]:
    d0 = depths[0]
    layers = {"groupScaleZero.0": _conv(d0, d0 + int(stddev), 3),
              "groupScaleZero.1": {".module.weight": (d0, 16 * d0), ".module.bias": (d0,)},
              "decisionLayer": {".module.weight": (1, d0), ".module.bias": (1,)}}
    for i, (before, after) in enumerate(pairwise(depths)):
        layers[f"scaleLayers.{i}.0"] = _conv(after, after, 3)
        layers[f"scaleLayers.{i}.1"] = _conv(before, after, 3)
    for i, depth in enumerate(depths):
        layers[f"fromRGBLayers.{i}"] = _conv(depth, channels, 1)
    return {name + end: s for name, ends in layers.items() for end, s in ends.items()}


def check(arrays: dict, expected: dict, what: str, path) -> None:
    """Every weight of the network is there with its shape, and no other."""
    for key, shape in expected.items():
        if key not in arrays:
            raise ImporterError(f"{what} of {path} has no '{key}'; is it pytorch_GAN_zoo's PGAN?")
        if tuple(arrays[key].shape) != shape:
            raise ImporterError(f"{what} of {path}: {key} has shape {tuple(arrays[key].shape)}"
                                f", the network needs {shape}")
    extra = sorted(k for k in arrays if k not in expected)
    if extra:
        raise ImporterError(f"{what} of {path} has weights PGAN's network does not: "
                            f"{', '.join(extra[:4])}")


def widths(depths: list[int], path) -> dict:
    """``base_filters`` and ``max_filters`` giving ``depths`` (one error line if none do)."""
    top = depths[0]
    narrower = [(lv, d) for lv, d in enumerate(depths) if d < top]
    base = narrower[0][1] * 2 ** (narrower[0][0] + 1) if narrower else top * 2 ** len(depths)
    got = [max(1, min(base // 2 ** (lv + 1), top)) for lv in range(len(depths))]
    if got != depths:
        raise ImporterError(f"{path}: widths {depths} per scale are not min(base / 2^(l+1), "
                            f"{top}) for any base; ganzoo's ProGAN cannot hold them")
    return {"base_filters": base, "max_filters": top}


def check_config(config: dict, sizes: dict, path) -> None:
    """One error line for a setting ganzoo's ProGAN does not reproduce."""
    if config.get("categoryVectorDim", 0):
        raise ImporterError(f"{path} is an AC-GAN (categoryVectorDim "
                            f"{config['categoryVectorDim']}); ganzoo's ProGAN is unconditional")
    if config.get("lossCriterion") in TANH_LOSSES:
        raise ImporterError(f"{path} was trained with the {config['lossCriterion']} loss, whose "
                            "generator ends in tanh; only WGANGP and Logistic checkpoints import")
    if not config.get("perChannelNormalization", True):
        raise ImporterError(f"{path} has no pixel normalization; ganzoo's ProGAN always has it")
    if float(config.get("leakyReluLeak", 0.2)) != 0.2:
        raise ImporterError(f"{path} uses leaky ReLU slope {config['leakyReluLeak']}; "
                            "ganzoo's ProGAN uses 0.2")
    saved = [config.get("depthScale0"), *(config.get("depthOtherScales") or [])]
    if config.get("depthScale0") is not None and saved != sizes["depths"]:
        raise ImporterError(f"{path}: its config's widths {saved} are not its networks' "
                            f"{sizes['depths']}")


def config_kwargs(sizes: dict, config: dict | None, stddev: bool, path) -> dict:
    """``ProGANConfig`` fields of the checkpoint."""
    if sizes["channels"] not in (1, 3):
        raise ImporterError(f"{path}: dimOutput {sizes['channels']} (ganzoo images have 1 or "
                            "3 channels)")
    kwargs = {"image_size": 4 * 2 ** (len(sizes["depths"]) - 1), "channels": sizes["channels"],
              "latent_dim": sizes["latent_dim"], **widths(sizes["depths"], path),
              "minibatch_stddev": "pytorch-gan-zoo" if stddev else "off"}
    if config:
        kwargs.update(learning_rate=float(config.get("learningRate", 1e-3)),
                      gp_weight=float(config.get("lambdaGP", 10.0)),
                      drift_weight=float(config.get("epsilonD", 0.001)))
    return kwargs


# -- weights ----------------------------------------------------------------------
def _ref_scale(weight: np.ndarray, equalized: bool) -> float:
    return math.sqrt(2.0 / math.prod(weight.shape[1:])) if equalized else 1.0


def _copy(layer, arrays, key, equalized, kernel_of) -> None:
    """``layer`` <- the reference layer ``key``: same effective kernel and bias."""
    weight, bias = arrays[f"{key}.module.weight"], arrays[f"{key}.module.bias"]
    scale = _ref_scale(weight, equalized)
    kernel = kernel_of(weight.astype("float64") * scale) / layer.runtime_scale
    assign(layer.stored_kernel, kernel, f"{key}.module.weight")
    assign(layer.bias, _bias_of(kernel_of, bias.astype("float64") * scale),
           f"{key}.module.bias")


def _bias_of(kernel_of, bias):
    return kernel_of.bias(bias) if hasattr(kernel_of, "bias") else bias


def conv_kernel(w):
    return w.transpose(2, 3, 1, 0)


def dense_kernel(w):
    return w.T


class LatentDense:
    """G's first layer: rows in channel, height, width order -> ganzoo's height, width, channel."""

    def __call__(self, w):
        rows, latent = w.shape
        return w.reshape(rows // 16, 4, 4, latent).transpose(3, 1, 2, 0).reshape(latent, rows)

    def bias(self, b):
        return b.reshape(-1, 4, 4).transpose(1, 2, 0).reshape(-1)


def flatten_dense_kernel(w):
    """D's first dense layer reads a channels-first 4x4 map: permute to channels last."""
    out, rows = w.shape
    return w.reshape(out, rows // 16, 4, 4).transpose(2, 3, 1, 0).reshape(rows, out)


def set_generator(generator, g: dict, equalized: bool) -> None:
    """Copy a PGAN G state dict into ganzoo's ProGAN generator."""
    _copy(generator.blocks[0].dense, g, "formatLayer", equalized, LatentDense())
    _copy(generator.blocks[0].convs[0], g, "groupScale0.0", equalized, conv_kernel)
    for lv in range(1, generator.num_levels):
        for j, conv in enumerate(generator.blocks[lv].convs):
            _copy(conv, g, f"scaleLayers.{lv - 1}.{j}", equalized, conv_kernel)
    for lv, layer in enumerate(generator.to_rgb):
        _copy(layer, g, f"toRGBLayers.{lv}", equalized, conv_kernel)


def set_discriminator(discriminator, d: dict, equalized: bool) -> None:
    """Copy a PGAN D state dict into ganzoo's ProGAN discriminator."""
    last = discriminator.blocks[0]
    _copy(last.conv0, d, "groupScaleZero.0", equalized, conv_kernel)
    _copy(last.dense0, d, "groupScaleZero.1", equalized, flatten_dense_kernel)
    _copy(last.dense1, d, "decisionLayer", equalized, dense_kernel)
    for lv in range(1, discriminator.num_levels):
        block = discriminator.blocks[lv]
        _copy(block.conv0, d, f"scaleLayers.{lv - 1}.0", equalized, conv_kernel)
        _copy(block.conv1, d, f"scaleLayers.{lv - 1}.1", equalized, conv_kernel)
    for lv, layer in enumerate(discriminator.from_rgb):
        _copy(layer, d, f"fromRGBLayers.{lv}", equalized, conv_kernel)


def place(gan, alpha: float) -> None:
    """Move ``gan`` to the stage the checkpoint was saved in (reference ``alpha``)."""
    stages = gan.schedule.stages
    if alpha > 0 and stages[-1].level > 0:
        stage = next(s for s in stages if s.level == stages[-1].level and s.fading)
        ours = 1.0 - alpha
        gan.step_counter.assign(stage.start + min(round(ours * stage.steps), stage.steps - 1))
        gan.sync_stage()
        gan.alpha.assign(ours)
    else:
        gan.step_counter.assign(stages[-1].start)
        gan.sync_stage()


def load_gan(path: Path):
    """A compiled ``progan`` GAN holding the checkpoint's netG, netD and avgG (the EMA
    generator), in the growth stage and fade-in it was saved at."""
    from ganzoo.api import get_architecture

    nets, config = read(path)
    g = nets["netG"]
    sizes = network_sizes(g, path)
    check(g, generator_shapes(sizes["latent_dim"], sizes["depths"], sizes["channels"]),
          "netG", path)
    if config is not None:
        check_config(config, sizes, path)
    d = nets.get("netD")
    stddev = bool((config or {}).get("miniBatchStdDev", False))
    if d is not None:
        first = _shape(d, "groupScaleZero.0.module.weight", 4, path)
        stddev = first[1] == sizes["depths"][0] + 1
        check(d, discriminator_shapes(sizes["depths"], sizes["channels"], stddev), "netD", path)
    if "avgG" in nets:
        check(nets["avgG"], generator_shapes(sizes["latent_dim"], sizes["depths"],
                                             sizes["channels"]), "avgG", path)
    equalized = bool((config or {}).get("equalizedlR", True))
    architecture = get_architecture("progan")
    gan = architecture.build(architecture.make_config(**config_kwargs(sizes, config, stddev,
                                                                      path)))
    set_generator(gan.generator, g, equalized)
    if gan.ema_generator is not None:
        set_generator(gan.ema_generator, nets.get("avgG", g), equalized)
    if d is not None:
        set_discriminator(gan.discriminator, d, equalized)
    place(gan, float((config or {}).get("alpha", 0.0)))
    return gan

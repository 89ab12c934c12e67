"""Importing stylegan2-ada-pytorch network pickles (``stylegan2-ada-pytorch`` format).

The reference's ``network-snapshot-*.pkl`` (and the stylegan3 repository's
StyleGAN2 pickles) hold ``dict(G=..., D=..., G_ema=..., ...)`` of
``torch_utils.persistence`` modules. ``ganzoo.importers.safe_pickle`` reads
them without PyTorch and without running their code; this module reads the
networks' constructor arguments (``_init_kwargs``) into a
``StyleGAN2Config`` and copies every parameter and buffer into ganzoo's
networks, converted to channels-last:

- dense ``[out, in]`` -> ``[in, out]``; conv ``[out, in, kh, kw]`` ->
  ``[kh, kw, in, out]``, flipped in ``kh, kw`` for the up-sampling convs
  (the reference convolves where ganzoo correlates, see
  ``ganzoo_stylegan2.layers.modulated_up_conv``);
- the per-layer scalar ``noise_strength`` -> ganzoo's per-channel noise scale,
  every channel the same (the same map);
- the discriminator's ``b4.fc`` input reordered from NCHW to NHWC flattening.

Supported: the skip generator and the resnet or orig discriminator (the
reference's defaults and its cifar cfg), any resolution, fp16 layers and
``conv_clamp``, conditional networks (``c_dim > 0``: a class-conditional
``StyleGAN2`` with ``num_classes = c_dim``; the reference's one-hot ``c`` is
ganzoo's integer label ``argmax(c)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ganzoo.importers import assign
from ganzoo.importers.safe_pickle import (
    ImporterError,
    PersistentObject,
    load,
    module_arrays,
)

FORMAT = "stylegan2-ada-pytorch"
DESCRIPTION = ("NVlabs stylegan2-ada-pytorch network pickles (network-snapshot-*.pkl; "
               "also stylegan3's StyleGAN2 configs): G, D and G_ema")


def read(path) -> dict[str, PersistentObject]:
    """The G, D and G_ema of a network pickle, read safely."""
    data = load(path)
    if not isinstance(data, dict):
        raise ImporterError(f"{path} holds a {type(data).__name__}, not a network snapshot dict")
    missing = [k for k in ("G", "D", "G_ema") if not isinstance(data.get(k), PersistentObject)]
    if missing:
        raise ImporterError(f"{path} has no network {', '.join(missing)} (keys: "
                            f"{', '.join(map(str, data))}); is it a stylegan2-ada-pytorch pickle?")
    for key, cls in (("G", "Generator"), ("G_ema", "Generator"), ("D", "Discriminator")):
        if data[key].class_name != cls:
            raise ImporterError(f"{path}: {key} is a {data[key].class_name}, not a {cls} "
                                "(a StyleGAN3 pickle? only StyleGAN2 networks import)")
    return {k: data[k] for k in ("G", "D", "G_ema")}


def _kwargs(obj: PersistentObject, what: str) -> dict:
    if obj.attr("_init_args"):
        raise ImporterError(f"{what} was built with positional arguments; cannot read its config")
    return obj.init_kwargs


def config_kwargs(nets: dict[str, PersistentObject]) -> dict[str, Any]:
    """The ``StyleGAN2Config`` fields the networks imply (``num_classes`` is ``c_dim``)."""
    g, d = _kwargs(nets["G_ema"], "G_ema"), _kwargs(nets["D"], "D")
    mapping, synthesis = dict(g.get("mapping_kwargs") or {}), dict(g.get("synthesis_kwargs") or {})
    epilogue = dict(d.get("epilogue_kwargs") or {})

    def unsupported(what):
        raise ImporterError(f"unsupported network: {what}")

    if synthesis.get("architecture", "skip") != "skip":
        unsupported(f"G architecture '{synthesis['architecture']}' (ganzoo has the skip G)")
    if d.get("architecture", "resnet") not in ("resnet", "orig"):
        unsupported(f"D architecture '{d['architecture']}' (ganzoo has resnet and orig)")
    for key in ("channel_base", "channel_max", "num_fp16_res", "conv_clamp"):
        default = {"channel_base": 32768, "channel_max": 512, "num_fp16_res": 0}.get(key)
        if synthesis.get(key, default) != d.get(key, default):
            unsupported(f"G and D differ in {key} ({synthesis.get(key, default)} vs "
                        f"{d.get(key, default)})")
    if g.get("img_resolution") != d.get("img_resolution") or \
            g.get("c_dim", 0) != d.get("c_dim", 0):
        unsupported("G and D differ in resolution or c_dim")
    if mapping.get("layer_features") not in (None, g["w_dim"]):
        unsupported("mapping layer_features other than w_dim")
    if mapping.get("activation", "lrelu") != "lrelu" or mapping.get("embed_features"):
        unsupported("a mapping network with another activation or embed_features")
    for key in ("block_kwargs", "mapping_kwargs"):
        if {k for k in (d.get(key) or {}) if k not in ("freeze_layers",)}:
            unsupported(f"D {key} {dict(d[key])}")
    group = epilogue.get("mbstd_group_size", 4)
    if group is None or epilogue.get("mbstd_num_channels", 1) != 1:
        unsupported("minibatch stddev over the whole batch or with several channels")
    clamp = synthesis.get("conv_clamp")
    return dict(
        image_size=int(g["img_resolution"]), channels=int(g["img_channels"]),
        latent_dim=int(g["z_dim"]), w_dim=int(g["w_dim"]),
        mapping_layers=int(mapping.get("num_layers", 8)),
        mapping_lr_multiplier=float(mapping.get("lr_multiplier", 0.01)),
        w_avg_beta=float(mapping.get("w_avg_beta", 0.995)),
        base_filters=int(synthesis.get("channel_base", 32768)),
        max_filters=int(synthesis.get("channel_max", 512)),
        num_fp16_res=int(synthesis.get("num_fp16_res", 0)),
        conv_clamp=0.0 if clamp is None else float(clamp),
        mbstd_group_size=int(group), d_architecture=d.get("architecture", "resnet"),
        num_classes=int(g.get("c_dim", 0)),
    )


# -- weights -------------------------------------------------------------------
def _dense(t):
    return t.T


def _conv(t, flip=False):
    k = np.transpose(t, (2, 3, 1, 0))
    return k[::-1, ::-1] if flip else k


class _Arrays:
    """The arrays of one network; every one must be used exactly once."""

    def __init__(self, obj: PersistentObject, what: str):
        self.arrays, self.what, self.used = module_arrays(obj), what, set()

    def __call__(self, name):
        if name not in self.arrays:
            raise ImporterError(f"{self.what} has no '{name}' (not a StyleGAN2 network?)")
        self.used.add(name)
        return self.arrays[name]

    def check_all_used(self):
        left = sorted(k for k in self.arrays if k not in self.used
                      and not k.endswith("resample_filter"))
        if left:
            raise ImporterError(f"{self.what} has weights ganzoo does not read: "
                                f"{', '.join(left[:5])}")


def _dense_layer(layer, a, prefix):
    assign(layer.kernel, _dense(a(f"{prefix}.weight")), f"{prefix}.weight")
    assign(layer.bias, a(f"{prefix}.bias"), f"{prefix}.bias")


def _mapping(mapping, a, prefix="mapping"):
    if mapping.num_classes:
        _dense_layer(mapping.embed, a, f"{prefix}.embed")
    for i, layer in enumerate(mapping.dense):
        _dense_layer(layer, a, f"{prefix}.fc{i}")
    if mapping.w_avg_beta is not None:
        assign(mapping.w_avg, a(f"{prefix}.w_avg"), f"{prefix}.w_avg")


def _modulated(conv, a, prefix, flip=False):
    _dense_layer(conv.affine, a, f"{prefix}.affine")
    assign(conv.conv.kernel, _conv(a(f"{prefix}.weight"), flip), f"{prefix}.weight")
    assign(conv.bias, a(f"{prefix}.bias"), f"{prefix}.bias")


def set_generator(generator, obj: PersistentObject, what: str) -> None:
    """Copy a reference Generator's weights into a built StyleGAN2Generator."""
    a = _Arrays(obj, what)
    _mapping(generator.mapping, a)
    synthesis = generator.synthesis
    assign(synthesis.const, np.transpose(a("synthesis.b4.const"), (1, 2, 0))[None],
            "synthesis.b4.const")
    for layer in synthesis.convs:
        prefix = f"synthesis.b{layer.resolution}.{'conv0' if layer.up else 'conv1'}"
        _modulated(layer.conv, a, prefix, flip=layer.up)
        strength = a(f"{prefix}.noise_strength")
        assign(layer.noise.scale, np.full(layer.noise.scale.shape, strength),
                f"{prefix}.noise_strength")
        assign(layer.noise_const, a(f"{prefix}.noise_const")[None, :, :, None],
                f"{prefix}.noise_const")
    for res, to_rgb in zip(synthesis.widths, synthesis.to_rgb, strict=True):
        _modulated(to_rgb, a, f"synthesis.b{res}.torgb")
    a.check_all_used()


def _d_conv(layer, a, prefix):
    assign(layer.conv.kernel, _conv(a(f"{prefix}.weight")), f"{prefix}.weight")
    if layer.use_bias:
        assign(layer.conv.bias, a(f"{prefix}.bias"), f"{prefix}.bias")


def set_discriminator(discriminator, obj: PersistentObject) -> None:
    """Copy a reference Discriminator's weights into a built StyleGAN2Discriminator."""
    a = _Arrays(obj, "D")
    top = discriminator.image_size
    _d_conv(discriminator.from_rgb, a, f"b{top}.fromrgb")
    res = top
    for conv0, conv1, skip in discriminator.blocks:
        _d_conv(conv0, a, f"b{res}.conv0")
        _d_conv(conv1, a, f"b{res}.conv1")
        if skip is not None:
            _d_conv(skip, a, f"b{res}.skip")
        res //= 2
    _d_conv(discriminator.epilogue_conv, a, "b4.conv")
    fc = a("b4.fc.weight")  # [out, C*4*4] flattened C, H, W -> H, W, C
    width = discriminator.epilogue_conv.filters
    fc = fc.reshape(fc.shape[0], width, 4, 4).transpose(0, 2, 3, 1).reshape(fc.shape[0], -1)
    assign(discriminator.fc.kernel, fc.T, "b4.fc.weight")
    assign(discriminator.fc.bias, a("b4.fc.bias"), "b4.fc.bias")
    _dense_layer(discriminator.out, a, "b4.out")
    if discriminator.num_classes:
        _mapping(discriminator.mapping, a)
    a.check_all_used()


def load_networks(path, force_fp32: bool = False):
    """``(config_kwargs, G, D, G_ema)``: built ganzoo networks holding the pickle's
    weights. ``force_fp32`` builds every layer in float32 (the reference's
    ``force_fp32=True``)."""
    from ganzoo_stylegan2.config import StyleGAN2Config
    from ganzoo_stylegan2.discriminator import build_discriminator
    from ganzoo_stylegan2.generator import build_generator

    nets = read(path)
    kwargs = config_kwargs(nets)
    if force_fp32:
        kwargs["num_fp16_res"] = 0
    config = StyleGAN2Config(**kwargs)
    generator, ema = build_generator(config), build_generator(config)
    discriminator = build_discriminator(config)
    set_generator(generator, nets["G"], "G")
    set_generator(ema, nets["G_ema"], "G_ema")
    set_discriminator(discriminator, nets["D"])
    return kwargs, generator, discriminator, ema


def load_gan(path: Path, force_fp32: bool = False):
    """A compiled StyleGAN2 GAN holding the pickle's G, D and G_ema (the EMA generator);
    class-conditional (``num_classes = c_dim``) for a conditional pickle."""
    from ganzoo.api import get_architecture

    nets = read(path)
    kwargs = config_kwargs(nets)
    if force_fp32:
        kwargs["num_fp16_res"] = 0
    architecture = get_architecture("stylegan2")
    gan = architecture.build(architecture.make_config(**kwargs))
    set_generator(gan.generator, nets["G"], "G")
    set_discriminator(gan.discriminator, nets["D"])
    set_generator(gan.ema_generator, nets["G_ema"], "G_ema")
    return gan

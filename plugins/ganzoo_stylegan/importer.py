"""Importing NVIDIA's StyleGAN (v1) TensorFlow pickles (``stylegan-tf`` format).

The official ``karras2019stylegan-*.pkl`` files (and the training loop's
``network-snapshot-*.pkl``) pickle ``(G, D, Gs)``: ``dnnlib.tflib.Network``
objects whose state holds their constructor arguments (``static_kwargs``),
their variables by name and their sub-networks (G's ``mapping`` and
``synthesis``). ``ganzoo.importers.safe_pickle`` reads them without
TensorFlow and without running the source they carry; this module reads the
config from ``static_kwargs`` (the reference's defaults where absent) and
copies the variables into ganzoo's networks, converted to channels last:

- conv ``[kh, kw, in, out]`` as is; const and noise maps NCHW -> NHWC;
- the up-sampling convolutions the reference fuses (``fused_scale``: at
  128x128 and above under its ``'auto'``) are a transposed convolution,
  which equals nearest up-sampling then a conv with the kernel flipped in
  ``kh, kw``: those kernels are flipped, the others copied;
- the mapping network's biases are divided by sqrt(2): the reference puts He's
  gain sqrt(2) in the weights and none after the leaky ReLU
  (``lrelu(sqrt2 * W x + b)``), ganzoo's mapping applies it after
  (``sqrt2 * lrelu(W x + b')``), equal for ``b' = b / sqrt2``;
- D goes into ganzoo's copy of the official discriminator
  (``discriminator="stylegan"``, the reference's gains), its first dense
  layer reordered from NCHW to NHWC flattening.

Only the full-resolution network imports (``lod`` 0, the published files'):
a snapshot taken during progressive growing is refused, as are the options
ganzoo's StyleGAN does not have (labels, other activations or filters...).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ganzoo.importers import assign
from ganzoo.importers.safe_pickle import ImporterError, load
from ganzoo.importers.tf_network import TFNetwork

FORMAT = "stylegan-tf"
DESCRIPTION = ("NVIDIA's StyleGAN TensorFlow pickles (karras2019stylegan-*.pkl, "
               "network-snapshot-*.pkl): (G, D, Gs), Gs as the EMA generator")
SQRT_2 = math.sqrt(2.0)
# The reference's defaults, and the only values of the options ganzoo reproduces.
FIXED = {"use_styles": True, "const_input_layer": True, "use_wscale": True,
         "use_pixel_norm": False, "use_instance_norm": True, "nonlinearity": "lrelu",
         "mapping_nonlinearity": "lrelu", "normalize_latents": True, "fmap_decay": 1.0,
         "blur_filter": [1, 2, 1], "label_size": 0, "mbstd_num_features": 1}


def read(path) -> dict[str, TFNetwork]:
    """``{"G", "D", "Gs"}`` (D and G may be absent) of a StyleGAN TF pickle, read safely."""
    data = load(path)
    nets = list(data) if isinstance(data, tuple) else [data]
    if not nets or not all(isinstance(n, TFNetwork) for n in nets) or len(nets) not in (1, 3):
        raise ImporterError(f"{path} is not a StyleGAN TensorFlow pickle (a (G, D, Gs) tuple "
                            "of dnnlib.tflib Networks, or one Gs)")
    named = dict(zip(("G", "D", "Gs"), nets, strict=True)) if len(nets) == 3 else {"Gs": nets[0]}
    for key, net in named.items():
        want = "D_basic" if key == "D" else "G_style"
        if net.build_func_name != want:
            raise ImporterError(f"{path}: {key} is built by {net.build_func_name}, not {want} "
                                "(only StyleGAN's networks import)")
    for key in ("G", "Gs"):
        if key in named and set(named[key].components) != {"mapping", "synthesis"}:
            raise ImporterError(f"{path}: {key} has no mapping and synthesis networks")
    return named


def _kwargs(net: TFNetwork) -> dict:
    kwargs = dict(net.static_kwargs)
    for name, want in FIXED.items():
        if name in kwargs and kwargs[name] != want and not (
                name == "blur_filter" and list(kwargs[name]) == want):
            raise ImporterError(f"unsupported network: {net.name} {name}={kwargs[name]!r} "
                                f"(ganzoo's StyleGAN has {want!r})")
    if not kwargs.get("use_noise", True):
        raise ImporterError(f"unsupported network: {net.name} without noise inputs")
    return kwargs


def config_kwargs(nets: dict[str, TFNetwork]) -> dict[str, Any]:
    """The ``StyleGANConfig`` fields the networks imply (from Gs's arguments)."""
    g = _kwargs(nets["Gs"])
    for key in ("G", "D"):
        if key in nets:
            _kwargs(nets[key])
    latent = int(g.get("latent_size", 512))
    dlatent = int(g.get("dlatent_size", 512))
    if int(g.get("mapping_fmaps", 512)) != dlatent:
        raise ImporterError("unsupported network: mapping_fmaps differs from dlatent_size")
    cutoff = g.get("truncation_cutoff", 8)
    kwargs = dict(
        image_size=int(g.get("resolution", 1024)), channels=int(g.get("num_channels", 3)),
        latent_dim=latent, w_dim=dlatent, mapping_layers=int(g.get("mapping_layers", 8)),
        mapping_lr_multiplier=float(g.get("mapping_lrmul", 0.01)),
        w_avg_beta=float(g.get("dlatent_avg_beta") or 0.995),
        base_filters=2 * int(g.get("fmap_base", 8192)), max_filters=int(g.get("fmap_max", 512)),
        truncation_cutoff=int(cutoff) if cutoff else 0, discriminator="stylegan",
    )
    if "D" in nets:
        d = nets["D"].static_kwargs
        for key, ours in (("resolution", kwargs["image_size"]), ("num_channels",
                          kwargs["channels"]), ("fmap_base", kwargs["base_filters"] // 2),
                          ("fmap_max", kwargs["max_filters"])):
            default = {"resolution": 32, "num_channels": 1, "fmap_base": 8192,
                       "fmap_max": 512}[key]
            if int(d.get(key, default)) != ours:
                raise ImporterError(f"unsupported network: G and D differ in {key}")
        kwargs["mbstd_group_size"] = int(d.get("mbstd_group_size", 4))
    return kwargs


class _Variables:
    """A network's variables by name; every one must be read (or known unused)."""

    def __init__(self, net: TFNetwork, what: str):
        self.arrays, self.what, self.used = net.all_variables(), what, set()

    def __call__(self, name):
        if name not in self.arrays:
            raise ImporterError(f"{self.what} has no variable '{name}' (not a StyleGAN network?)")
        self.used.add(name)
        return self.arrays[name]

    def check_lod(self, *names):
        for name in names:
            lod = float(np.asarray(self(name)))
            if lod != 0:
                raise ImporterError(f"{self.what} is at level of detail {lod:g} (a snapshot "
                                    "taken while growing); only lod 0 imports")

    def check_all_used(self, unused_prefixes=()):
        left = sorted(k for k in self.arrays if k not in self.used
                      and not any(p in k for p in unused_prefixes))
        if left:
            raise ImporterError(f"{self.what} has variables ganzoo does not read: "
                                f"{', '.join(left[:5])}")


def _fused(kwargs: dict, res: int) -> bool:
    fused = kwargs.get("fused_scale", "auto")
    return res >= 128 if fused == "auto" else bool(fused)


def set_generator(generator, net: TFNetwork, what: str) -> None:
    """Copy a reference G_style's variables into a built StyleGANGenerator."""
    v = _Variables(net, what)
    v.check_lod("lod", "G_synthesis/lod")
    kwargs = dict(net.static_kwargs)
    mapping = generator.mapping
    for i, layer in enumerate(mapping.dense):
        name = f"G_mapping/Dense{i}"
        assign(layer.kernel, v(f"{name}/weight"), f"{name}/weight")
        assign(layer.bias, v(f"{name}/bias") / SQRT_2, f"{name}/bias")
    assign(mapping.w_avg, v("dlatent_avg"), "dlatent_avg")
    synthesis = generator.synthesis
    assign(synthesis.const, np.transpose(v("G_synthesis/4x4/Const/const"), (0, 2, 3, 1)),
           "4x4/Const/const")
    for index, layer in enumerate(synthesis.style_layers):
        res = layer.resolution
        scope = "G_synthesis/" + ("4x4/Const" if index == 0 else "4x4/Conv" if index == 1
                                  else f"{res}x{res}/{'Conv0_up' if layer.up else 'Conv1'}")
        if layer.convolution is not None:
            kernel = v(f"{scope}/weight")
            if layer.up and _fused(kwargs, res):
                kernel = kernel[::-1, ::-1]
            assign(layer.convolution.kernel, kernel, f"{scope}/weight")
        assign(layer.noise.scale, v(f"{scope}/Noise/weight"), f"{scope}/Noise/weight")
        assign(layer.bias, v(f"{scope}/bias"), f"{scope}/bias")
        assign(layer.adain.style.kernel, v(f"{scope}/StyleMod/weight"), f"{scope}/StyleMod/weight")
        assign(layer.adain.style.bias, v(f"{scope}/StyleMod/bias"), f"{scope}/StyleMod/bias")
        name = f"G_synthesis/noise{index}"
        assign(layer.noise_const, np.transpose(v(name), (0, 2, 3, 1)), name)
    assign(synthesis.to_rgb.kernel, v("G_synthesis/ToRGB_lod0/weight"), "ToRGB_lod0/weight")
    assign(synthesis.to_rgb.bias, v("G_synthesis/ToRGB_lod0/bias"), "ToRGB_lod0/bias")
    # The lower-resolution toRGBs only serve progressive growing (lod > 0).
    v.check_all_used(unused_prefixes=[f"ToRGB_lod{k}/" for k in range(1, 12)])


def load_gan(path: Path):
    """A compiled ``stylegan`` GAN holding the pickle's Gs (as the EMA generator), G
    (as the generator; Gs again when the file holds Gs alone) and D when present."""
    from ganzoo.api import get_architecture

    nets = read(path)
    kwargs = config_kwargs(nets)
    architecture = get_architecture("stylegan")
    gan = architecture.build(architecture.make_config(**kwargs))
    set_generator(gan.ema_generator, nets["Gs"], "Gs")
    set_generator(gan.generator, nets.get("G", nets["Gs"]), "G")
    if "D" in nets:
        from ganzoo_stylegan.discriminator import set_reference_weights

        set_reference_weights(gan.discriminator, nets["D"])
    return gan

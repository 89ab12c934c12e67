"""Importing BigGAN-PyTorch state dicts (``biggan-pytorch`` format) and
PyTorch-StudioGAN's BigGAN checkpoints (``studiogan`` format, at the end).

BigGAN-PyTorch (github.com/ajbrock/BigGAN-PyTorch) saves ``G.pth``,
``G_ema.pth`` and ``D.pth``: ``torch.save`` of each network's ``state_dict()``
(``G_ema.pth`` is a G). ``ganzoo.importers.pth_reader`` reads them without
PyTorch. Only the shapes are used to find the networks' settings:

- ``shared.weight`` (classes, shared_dim): the shared class embedding, which
  ganzoo needs (``G_shared=False`` networks are refused);
- ``blocks.<i>.0`` are the up-sampling blocks, so the image is 4 * 2^blocks
  wide; the widths are ``linear.weight``'s rows / 16 and each block's
  ``conv1`` output; ``blocks.<i>.1`` is a self-attention block after block
  ``i`` (ganzoo has at most one per network);
- the cBN projections take the embedding and, with hierarchical z, a z
  chunk as wide as ``linear.weight``'s input (z = one chunk per block + 1);
- D's block count must be its G's resolution's; its widths are the convs'.

Weights map onto ganzoo's ``biggan`` built with ``spectral_norm_sigma=
"iterate"`` (sigma from one power-iteration step per call, as the reference
computes it), ``cbn_bias=False`` and, at 32x32, ``d_final_resolution=8``:

- convs ``[out, in, kh, kw]`` -> ``[kh, kw, in, out]`` and linears ``[out, in]``
  -> ``[in, out]``; the spectral norm's ``u0`` (1, out) -> ``sn_u`` (the
  ``sv0`` buffers only log sigma and are skipped);
- G's first linear: its outputs are (channel, row, column) and ganzoo's
  (row, column, channel), so its rows, bias and ``u0`` are permuted;
- the cBNs' ``stored_mean``/``stored_var`` (or a ``bn.`` sub-module's, with
  ``--mybn`` or cross-replica BN) -> the moving mean and variance; the output
  BN's gain and bias -> gamma and beta;
- attention ``theta``/``phi``/``g``/``o`` -> query/key/value/output, and
  ``gamma``; D's ``linear`` and ``embed`` -> the projection head.

The G file fills both G and its EMA copy. Without ``--discriminator`` the GAN
gets a fresh D with the reference's layout for that G.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ganzoo.errors import ImporterError
from ganzoo.importers import StateDictCopier, read_torch_state_dict, studiogan

FORMAT = "biggan-pytorch"
DESCRIPTION = ("BigGAN-PyTorch state dicts: G.pth or G_ema.pth, and its D.pth with "
               "--discriminator")
BLOCK = re.compile(r"blocks\.(\d+)\.(\d)\.")
ATTENTION = {"theta": "query", "phi": "key", "g": "value", "o": "output"}
STATS = (("stored_mean", "moving_mean"), ("stored_var", "moving_variance"))
STAT_PREFIXES = ("", "bn.")  # ccbn's own buffers, or myBN's / SyncBN's
STAT_ALIASES = {"stored_mean": ("stored_mean", "running_mean"),
                "stored_var": ("stored_var", "running_var")}
# sigma logs, more singular vectors (num_svs > 1: sigma uses the first only), counters
_SN = r"(weight|bias|u\d+|sv\d+)"
_BN = r"(stored_mean|stored_var|bn\.(running_mean|running_var|stored_mean|stored_var|" \
      r"num_batches_tracked|accumulation_counter))"
_ATTENTION = rf"blocks\.\d+\.1\.((theta|phi|g|o)\.{_SN}|gamma)"
G_KEYS = re.compile(
    rf"shared\.weight|linear\.{_SN}|blocks\.\d+\.0\.(conv1|conv2|conv_sc)\.{_SN}"
    rf"|blocks\.\d+\.0\.bn[12]\.({_BN}|(gain|bias)\.{_SN})|{_ATTENTION}"
    rf"|output_layer\.0\.(gain|bias|{_BN})|output_layer\.2\.{_SN}")
D_KEYS = re.compile(rf"blocks\.\d+\.0\.(conv1|conv2|conv_sc)\.{_SN}|{_ATTENTION}"
                    rf"|linear\.{_SN}|embed\.{_SN}")
IGNORED = re.compile(r"(\.sv\d+|\.u[1-9]\d*|num_batches_tracked|accumulation_counter)$")


def _need(arrays, key, ndim, what, path) -> np.ndarray:
    value = arrays.get(key)
    if value is None:
        raise ImporterError(f"{what} {path} has no '{key}'; is it a BigGAN-PyTorch "
                            f"{what} state dict?")
    if value.ndim != ndim:
        raise ImporterError(f"{what} {path}: {key} has shape {value.shape}, BigGAN-PyTorch's "
                            f"has {ndim} axes")
    return value


def _known(arrays, pattern, what, path) -> None:
    unknown = sorted(k for k in arrays if not pattern.fullmatch(k))
    if unknown:
        raise ImporterError(f"{what} {path} has weights ganzoo's biggan does not: "
                            f"{', '.join(unknown[:4])}")


def _blocks(arrays) -> tuple[int, list[int]]:
    """(number of blocks, indices of the blocks followed by attention)."""
    found = {(int(m[1]), int(m[2])) for k in arrays if (m := BLOCK.match(k))}
    count = 1 + max((i for i, _ in found), default=-1)
    return count, sorted(i for i, j in found if j == 1)


def _one_attention(blocks: list[int], resolution, what, path) -> int:
    if len(blocks) > 1:
        raise ImporterError(f"{what} {path} has self-attention after {len(blocks)} blocks; "
                            "ganzoo's biggan attends at one resolution")
    return resolution(blocks[0]) if blocks else 0


def read_generator(path) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a G (or G_ema) file; settings are ``BigGANConfig`` fields."""
    arrays = read_torch_state_dict(path, "G")
    if "embed.weight" in arrays and "shared.weight" not in arrays:
        raise ImporterError(f"{path} is a BigGAN-PyTorch D (it has 'embed.weight'): give its "
                            "G.pth or G_ema.pth as FILE and this one as --discriminator")
    if "linear.weight" in arrays and "blocks.0.0.bn1.gain.weight" in arrays \
            and "shared.weight" not in arrays:
        raise ImporterError(f"G {path} has no shared embedding (G_shared=False); ganzoo's "
                            "biggan needs one")
    classes, shared_dim = _need(arrays, "shared.weight", 2, "G", path).shape
    linear = _need(arrays, "linear.weight", 2, "G", path)
    count, attention = _blocks(arrays)
    if count == 0 or linear.shape[0] % 16:
        raise ImporterError(f"G {path}: no blocks.<i>.0 up-sampling blocks, or linear.weight "
                            f"{linear.shape} is not a 4x4 map; is it a BigGAN-PyTorch G?")
    widths = [linear.shape[0] // 16] + [
        int(_need(arrays, f"blocks.{i}.0.conv1.weight", 4, "G", path).shape[0])
        for i in range(count)]
    cond = int(_need(arrays, "blocks.0.0.bn1.gain.weight", 2, "G", path).shape[1])
    chunk = cond - shared_dim
    hierarchical = chunk > 0
    if hierarchical and chunk != linear.shape[1]:
        raise ImporterError(f"G {path}: the cBNs take {cond} inputs, the embedding gives "
                            f"{shared_dim}, so z chunks of {chunk}; linear.weight takes "
                            f"{linear.shape[1]}")
    channels = int(_need(arrays, "output_layer.2.weight", 4, "G", path).shape[0])
    _known(arrays, G_KEYS, "G", path)
    settings = {
        "image_size": 4 * 2**count, "channels": channels, "num_classes": int(classes),
        "shared_dim": int(shared_dim), "hierarchical_z": hierarchical,
        "latent_dim": int(linear.shape[1]) * ((count + 1) if hierarchical else 1),
        "attention_resolution": _one_attention(attention, lambda i: 8 * 2**i, "G", path),
        "widths": widths,
    }
    return arrays, settings


def d_resolutions(image_size: int, count: int) -> list[int]:
    """Output size of each of the reference D's blocks (at 32x32 it stops at 8x8)."""
    final = 8 if image_size == 32 else 4
    return [max(image_size // 2 ** (i + 1), final) for i in range(count)]


def read_discriminator(path, image_size: int) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a D file for a G of ``image_size``."""
    arrays = read_torch_state_dict(path, "D")
    if "shared.weight" in arrays:
        raise ImporterError(f"--discriminator {path} is a BigGAN-PyTorch G, not its D")
    classes, width = _need(arrays, "embed.weight", 2, "D", path).shape
    count, attention = _blocks(arrays)
    levels = int(math.log2(image_size // 4)) + 1
    if count != levels:
        raise ImporterError(f"--discriminator {path} has {count} blocks, a {image_size}x"
                            f"{image_size} BigGAN-PyTorch D has {levels}: not its G's D")
    widths = [int(_need(arrays, f"blocks.{i}.0.conv1.weight", 4, "D", path).shape[0])
              for i in range(count)]
    sizes = d_resolutions(image_size, count)
    _known(arrays, D_KEYS, "D", path)
    if image_size == 32 and attention:
        raise ImporterError(f"--discriminator {path}: the reference's 32x32 D attends after "
                            "every block; ganzoo's biggan attends at one resolution")
    settings = {"num_classes": int(classes), "d_widths": widths,
                "channels": int(arrays["blocks.0.0.conv1.weight"].shape[1]),
                "d_attention_resolution": _one_attention(attention, lambda i: sizes[i],
                                                         "D", path)}
    if width != widths[-1]:
        raise ImporterError(f"--discriminator {path}: embed.weight is {width} wide, the last "
                            f"block {widths[-1]}")
    return arrays, settings


def config_kwargs(g: dict, d: dict | None = None) -> dict:
    """``BigGANConfig`` fields of the reference's networks (from ``read_*``'s settings)."""
    for key in ("num_classes", "channels"):
        if d is not None and d[key] != g[key]:
            raise ImporterError(f"G has {key}={g[key]}, D {d[key]}: not one GAN's files")
    size = g["image_size"]
    if size < 16 or g["channels"] not in (1, 3):
        raise ImporterError(f"unsupported network: {size}x{size}, {g['channels']} channels")
    widths = g["widths"] + (d["d_widths"] if d else [])
    base = math.gcd(*widths)
    kwargs = {k: v for k, v in g.items() if k != "widths"}
    # ganzoo's orthogonal penalty is the paper's; BigGAN-PyTorch's --G_ortho s adds
    # half its gradient, so its scripts' 1e-4 is ganzoo's 5e-5.
    kwargs.update(base_filters=base, channel_multipliers=tuple(w // base for w in g["widths"]),
                  spectral_norm_sigma="iterate", cbn_bias=False, orthogonal_weight=5e-5,
                  d_final_resolution=8 if size == 32 else 4)
    if d is not None:
        kwargs.update(d_channel_multipliers=tuple(w // base for w in d["d_widths"]),
                      d_attention_resolution=d["d_attention_resolution"])
    elif size == 32:
        kwargs["d_attention_resolution"] = 0  # the reference's 32x32 D attends nowhere once
    return kwargs


# -- weights -------------------------------------------------------------------
class _Copier(StateDictCopier):
    """Copies a BigGAN-PyTorch state dict (its spectral norm keeps ``u0`` and
    ``sv0`` buffers) into ganzoo's biggan."""

    def __init__(self, arrays: dict, what: str):
        super().__init__(arrays, what, "biggan", IGNORED.pattern)

    def sn(self, layer, key, transform=lambda a: a.T):
        """An SN linear or conv layer (conv kernels from [out, in, kh, kw])."""
        if layer.stored_kernel.ndim == 4:
            transform = lambda a: a.transpose(2, 3, 1, 0)  # noqa: E731
        self.set(layer.stored_kernel, f"{key}.weight", transform)
        if getattr(layer, "bias", None) is not None:
            self.set(layer.bias, f"{key}.bias")
        self.set(layer.sn_u, f"{key}.u0", lambda a: a[0])

    def attention(self, layer, key):
        for ref, name in ATTENTION.items():
            self.sn(getattr(layer, f"{name}_conv"), f"{key}.{ref}")
        self.set(layer.gamma, f"{key}.gamma", lambda a: a.reshape(()))

    def stats(self, norm, key):
        """A batch norm's stored mean and variance (its own buffers or a ``bn.`` one's)."""
        for ref, ours in STATS:
            source = [f"{key}.{p}{alias}" for p in STAT_PREFIXES for alias in STAT_ALIASES[ref]]
            found = [k for k in source if k in self.arrays]
            self.set(getattr(norm, ours), found[0] if found else source[0])

    def cbn(self, layer, key):
        self.stats(layer.batch_norm, key)
        self.sn(layer.gain, f"{key}.gain")
        self.sn(layer.bias, f"{key}.bias")


def set_generator(generator, arrays: dict, what: str = "G") -> None:
    """Copy a G state dict into ganzoo's biggan generator (built from its settings)."""
    c = _Copier(arrays, what)
    c.set(generator.get_layer("shared_embedding").embeddings, "shared.weight")
    project = generator.get_layer("project")
    width = project.units // 16

    def to_hwc(a):  # rows (channel, row, column) -> (row, column, channel)
        return a.reshape(width, 4, 4, *a.shape[1:]).transpose(1, 2, 0, *range(3, a.ndim + 2)) \
            .reshape(a.shape)
    c.set(project.stored_kernel, "linear.weight", lambda a: to_hwc(a).T)
    c.set(project.bias, "linear.bias", to_hwc)
    c.set(project.sn_u, "linear.u0", lambda a: to_hwc(a[0]))
    count, attention = _blocks(arrays)
    for i in range(count):
        name, key = f"block{i + 1}", f"blocks.{i}.0"
        for ours, ref in (("conv1", "conv1"), ("conv2", "conv2"), ("shortcut", "conv_sc")):
            c.sn(generator.get_layer(f"{name}_{ours}"), f"{key}.{ref}")
        c.cbn(generator.get_layer(f"{name}_norm1"), f"{key}.bn1")
        c.cbn(generator.get_layer(f"{name}_norm2"), f"{key}.bn2")
    for i in attention:
        c.attention(generator.get_layer("attention"), f"blocks.{i}.1")
    norm = generator.get_layer("output_norm")
    c.set(norm.gamma, "output_layer.0.gain")
    c.set(norm.beta, "output_layer.0.bias")
    c.stats(norm, "output_layer.0")
    c.sn(generator.get_layer("to_image"), "output_layer.2")
    c.check_all_used()


def set_discriminator(discriminator, arrays: dict) -> None:
    """Copy a D state dict into ganzoo's biggan discriminator."""
    c = _Copier(arrays, "D")
    count, attention = _blocks(arrays)
    for i in range(count):
        name, key = f"block{i + 1}", f"blocks.{i}.0"
        c.sn(discriminator.get_layer(f"{name}_conv1"), f"{key}.conv1")
        c.sn(discriminator.get_layer(f"{name}_conv2"), f"{key}.conv2")
        if f"{key}.conv_sc.weight" in arrays:
            c.sn(discriminator.get_layer(f"{name}_shortcut"), f"{key}.conv_sc")
    for i in attention:
        c.attention(discriminator.get_layer("attention"), f"blocks.{i}.1")
    head = discriminator.get_layer("projection")
    c.sn(head.dense, "linear")
    c.set(head.embedding.embeddings, "embed.weight")
    c.set(head.embedding.sn_u, "embed.u0", lambda a: a[0])
    c.check_all_used()


def load_gan(path: Path, discriminator=None):
    """A compiled ``biggan`` GAN holding the G file (as G and its EMA) and, given
    ``discriminator``, the D file."""
    return _load(path, discriminator, (read_generator, read_discriminator), config_kwargs,
                 (set_generator, set_discriminator))[0]


def _load(path, discriminator, readers, make_config_kwargs, setters):
    """Read G (and D), build the ``biggan`` the files imply, copy the weights in (G's
    file into G and its EMA copy)."""
    from ganzoo.api import get_architecture

    g_arrays, g_settings = readers[0](path)
    d_arrays = d_settings = None
    if discriminator is not None:
        if not Path(discriminator).is_file():
            raise ImporterError(f"--discriminator {discriminator}: no such file")
        d_arrays, d_settings = readers[1](discriminator, g_settings["image_size"])
    architecture = get_architecture("biggan")
    gan = architecture.build(architecture.make_config(**make_config_kwargs(g_settings,
                                                                           d_settings)))
    for generator in (gan.generator, gan.ema_generator):
        if generator is not None:
            setters[0](generator, g_arrays)
    if d_arrays is not None:
        setters[1](gan.discriminator, d_arrays)
    return gan, g_settings


# -- PyTorch-StudioGAN's big_resnet checkpoints (``studiogan`` format) ---------
# StudioGAN's BigGAN (``src/models/big_resnet.py``); ganzoo.importers.studiogan
# reads the files. G: ``shared.weight`` (classes, shared_dim) is the shared
# embedding, ``linear0`` takes one z chunk, each ``blocks.<i>.0`` with a
# ``conv2d1`` is an up-sampling block and one with a ``sigma`` self-attention
# after the previous block; every cBN takes [embedding, z chunk]. D: its blocks
# and attention alike, ``linear1`` and ``embedding`` the projection head
# (``d_cond_mtd: PD``). The options set where StudioGAN's networks differ from
# ganzoo's defaults: ``spectral_norm_sigma="stored_uv"`` (torch's spectral_norm
# keeps u and v, and uses both without a power step in eval mode),
# ``bn_epsilon=1e-4``, ``cbn_bias=False``, ``d_activated_shortcut=True`` (its D
# blocks' in-place ReLU also changes what their shortcut reads), at 32x32
# ``d_final_resolution=8``, and no orthogonal regularization. A ``resnet`` G
# (StudioGAN's SAGAN) has no shared embedding or z chunks and its cBNs project
# the one-hot class: biggan with ``hierarchical_z=False`` and a frozen identity
# embedding computes it.
STUDIOGAN_FORMAT = "studiogan"
STUDIOGAN_DESCRIPTION = ("PyTorch-StudioGAN checkpoints of its BigGAN (big_resnet) and "
                         "SAGAN (resnet): "
                         "model=G_ema-...pth or model=G-...pth, and model=D-...pth with "
                         "--discriminator")

SG_SN = r"(weight_orig|weight_u|weight_v|bias)"
SG_ATT = rf"blocks\.\d+\.0\.(conv1x1_(theta|phi|g|attn)\.{SG_SN}|sigma)"
SG_G_KEYS = re.compile(
    rf"shared\.weight|linear0\.{SG_SN}|blocks\.\d+\.0\.conv2d[012]\.{SG_SN}"
    rf"|blocks\.\d+\.0\.bn[12]\.(bn\.(running_mean|running_var|num_batches_tracked)"
    rf"|(gain|bias)\.{SG_SN})|{SG_ATT}|bn4\.(weight|bias|running_mean|running_var"
    rf"|num_batches_tracked)|conv2d5\.{SG_SN}")
SG_D_KEYS = re.compile(rf"blocks\.\d+\.0\.conv2d[012]\.{SG_SN}|{SG_ATT}|linear1\.{SG_SN}"
                    rf"|embedding\.{SG_SN}")
def _sg_need(arrays, key, ndim, what, path) -> np.ndarray:
    value = arrays.get(key)
    if value is None or value.ndim != ndim:
        raise ImporterError(f"{what} {path} has no {ndim}-axis '{key}'; is it a StudioGAN "
                            f"big_resnet {what} with spectral norm?")
    return value


def _sg_known(arrays, pattern, what, path) -> None:
    unknown = sorted(k for k in arrays if not pattern.fullmatch(k))
    if unknown:
        raise ImporterError(f"{what} {path} has weights ganzoo's biggan does not: "
                            f"{', '.join(unknown[:4])}")


def _sg_backbone_error(arrays, path) -> None:
    """One error line for files of the networks this format does not import."""
    if "linear1.weight_orig" in arrays or "linear1.weight" in arrays:
        raise ImporterError(f"{path} is a StudioGAN D: give its model=G-... or "
                            "model=G_ema-... file as FILE and this one as --discriminator")
    if any(k.startswith(("mapping.", "synthesis.")) for k in arrays):
        raise ImporterError(f"{path} is a StudioGAN StyleGAN generator; ganzoo imports "
                            "StudioGAN's big_resnet (BigGAN) and resnet (SAGAN) networks")
    deep = [k for k in arrays if ".deconv0." in k or ".conv2d4." in k or ".bn3." in k]
    if deep:
        kind = "deep_conv (DCGAN)" if ".deconv0." in deep[0] else "big_resnet_deep"
        raise ImporterError(f"G {path} is a StudioGAN {kind} G ('{deep[0]}'); ganzoo imports "
                            "its big_resnet (BigGAN) and resnet (SAGAN) networks")
    if "linear0.weight" in arrays:
        raise ImporterError(f"G {path} has no spectral norm (apply_g_sn: False, as in "
                            "StudioGAN's SNGAN configs); ganzoo imports its G with it")
    gain = [k for k in arrays if re.fullmatch(r"blocks\.\d+\.0\.bn1\.gain\.weight_orig", k)]
    if not gain or ("shared.weight" not in arrays and "linear0.weight_orig" in arrays
                    and arrays[gain[0]].shape[1:] == arrays["linear0.weight_orig"].shape[1:]):
        raise ImporterError(f"G {path} is not class-conditional (g_cond_mtd: W/O) or not a "
                            "StudioGAN big_resnet / resnet G; ganzoo imports conditional ones")


def read_studiogan_generator(path) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a big_resnet or resnet G (or G_ema) checkpoint.

    A resnet G (StudioGAN's SAGAN) has no shared embedding and no z chunks: its
    cBNs project the one-hot class, which is biggan's non-hierarchical G with an
    identity embedding (``shared_dim`` = classes)."""
    arrays = studiogan.read_checkpoint(path, "G")
    _sg_backbone_error(arrays, path)
    linear = _sg_need(arrays, "linear0.weight_orig", 2, "G", path)
    layout = studiogan.block_layout(arrays)
    blocks = [i for i, kind in layout if kind == "block"]
    if not blocks or linear.shape[0] % 16:
        raise ImporterError(f"G {path}: no up-sampling blocks, or linear0 {linear.shape} is "
                            "not a 4x4 map; is it a StudioGAN big_resnet or resnet G?")
    widths = [linear.shape[0] // 16] + [
        int(_sg_need(arrays, f"blocks.{i}.0.conv2d1.weight_orig", 4, "G", path).shape[0])
        for i in blocks]
    chunk = int(linear.shape[1])
    cond = int(_sg_need(arrays, f"blocks.{blocks[0]}.0.bn1.gain.weight_orig", 2, "G",
                        path).shape[1])
    hierarchical = "shared.weight" in arrays
    if hierarchical:
        classes, shared_dim = _sg_need(arrays, "shared.weight", 2, "G", path).shape
        if cond != shared_dim + chunk:
            raise ImporterError(f"G {path}: the cBNs take {cond} inputs, not the embedding's "
                                f"{shared_dim} + a z chunk of {chunk} (InfoGAN codes do not "
                                "import)")
    else:
        classes = shared_dim = cond
    _sg_known(arrays, SG_G_KEYS, "G", path)
    settings = {
        "image_size": 4 * 2 ** len(blocks),
        "channels": int(_sg_need(arrays, "conv2d5.weight_orig", 4, "G", path).shape[0]),
        "num_classes": int(classes), "shared_dim": int(shared_dim),
        "hierarchical_z": hierarchical,
        "latent_dim": chunk * (len(blocks) + 1) if hierarchical else chunk,
        "attention_resolution": studiogan.attention_after(layout, lambda b: 8 * 2**b, "G",
                                                          path, "biggan"),
        "widths": widths,
    }
    return arrays, settings


def read_studiogan_discriminator(path, image_size: int) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a big_resnet or resnet D checkpoint (one code) for a G
    of ``image_size``."""
    arrays = studiogan.read_checkpoint(path, "D")
    if "shared.weight" in arrays:
        raise ImporterError(f"--discriminator {path} is a StudioGAN G, not its D")
    linear = _sg_need(arrays, "linear1.weight_orig", 2, "D", path)
    if "embedding.weight_orig" not in arrays or linear.shape[0] != 1 \
            or any(k.startswith(("linear2.", "linear_mi.", "info_")) for k in arrays):
        raise ImporterError(f"--discriminator {path}: its conditioning is not a projection "
                            "(d_cond_mtd: PD), the only one ganzoo's biggan imports")
    layout = studiogan.block_layout(arrays)
    blocks = [i for i, kind in layout if kind == "block"]
    levels = int(math.log2(image_size // 4)) + 1
    if len(blocks) != levels:
        raise ImporterError(f"--discriminator {path} has {len(blocks)} blocks, a {image_size}x"
                            f"{image_size} StudioGAN big_resnet D has {levels}: not its G's D")
    widths = [int(_sg_need(arrays, f"blocks.{i}.0.conv2d1.weight_orig", 4, "D", path).shape[0])
              for i in blocks]
    _sg_known(arrays, SG_D_KEYS, "D", path)
    sizes = d_resolutions(image_size, len(blocks))
    classes, width = arrays["embedding.weight_orig"].shape
    if width != widths[-1]:
        raise ImporterError(f"--discriminator {path}: its embedding is {width} wide, the last "
                            f"block {widths[-1]}")
    return arrays, {
        "num_classes": int(classes), "d_widths": widths,
        "channels": int(arrays[f"blocks.{blocks[0]}.0.conv2d1.weight_orig"].shape[1]),
        "d_attention_resolution": studiogan.attention_after(layout, lambda b: sizes[b], "D", path, "biggan")}


def studiogan_config_kwargs(g: dict, d: dict | None = None) -> dict:
    """``BigGANConfig`` fields of StudioGAN's networks (from ``read_*``'s settings)."""
    for key in ("num_classes", "channels"):
        if d is not None and d[key] != g[key]:
            raise ImporterError(f"G has {key}={g[key]}, D {d[key]}: not one run's files")
    size = g["image_size"]
    if size < 16 or g["channels"] not in (1, 3):
        raise ImporterError(f"unsupported network: {size}x{size}, {g['channels']} channels")
    d_widths = d["d_widths"] if d else _studiogan_d_widths(size, g["widths"][-1])
    base = math.gcd(*g["widths"], *d_widths)
    kwargs = {k: v for k, v in g.items() if k != "widths"}
    kwargs.update(base_filters=base, channel_multipliers=tuple(w // base for w in g["widths"]),
                  spectral_norm_sigma="stored_uv", cbn_bias=False,
                  bn_epsilon=1e-4, d_activated_shortcut=True, orthogonal_weight=0.0,
                  d_final_resolution=8 if size == 32 else 4)
    kwargs["d_channel_multipliers"] = tuple(w // base for w in d_widths)
    if d is not None:
        kwargs["d_attention_resolution"] = d["d_attention_resolution"]
    else:  # StudioGAN's configs attend after D's first block
        kwargs["d_attention_resolution"] = size // 2 if g["attention_resolution"] else 0
    return kwargs


def _studiogan_d_widths(size: int, last_g_width: int) -> list[int]:
    """StudioGAN's D widths for G's ``d_conv_dim`` = its ``g_conv_dim`` (the configs' choice)."""
    ch = last_g_width // 4 if size == 32 else last_g_width
    if size == 32:
        return [2 * ch] * 4
    levels = int(math.log2(size // 4)) + 1
    table = {64: (1, 2, 4, 8, 16), 128: (1, 2, 4, 8, 16, 16), 256: (1, 2, 4, 8, 8, 16, 16),
             512: (1, 1, 2, 4, 8, 8, 16, 16)}
    return [ch * m for m in table.get(size, (1,) * levels)]


def set_studiogan_generator(generator, arrays: dict, what: str = "G") -> None:
    """Copy a big_resnet G state dict into ganzoo's biggan generator."""
    shared = generator.get_layer("shared_embedding")
    if "shared.weight" not in arrays:  # resnet: the cBNs project the one-hot class
        arrays = {**arrays, "shared.weight": np.eye(shared.input_dim, dtype="float32")}
        shared.trainable = False
    c = studiogan.TorchSNCopier(arrays, what, "biggan")
    c.set(shared.embeddings, "shared.weight")
    project = generator.get_layer("project")
    width = project.units // 16

    def to_hwc(a):  # rows (channel, row, column) -> (row, column, channel)
        return a.reshape(width, 4, 4, *a.shape[1:]).transpose(1, 2, 0, *range(3, a.ndim + 2)) \
            .reshape(a.shape)
    c.sn(project, "linear0", lambda a: to_hwc(a).T)
    c.set(project.bias, "linear0.bias", to_hwc)
    c.set(project.sn_u, "linear0.weight_u", to_hwc)
    number = 0
    for i, kind in studiogan.block_layout(arrays):
        key = f"blocks.{i}.0"
        if kind == "attention":
            c.attention(generator.get_layer("attention"), key)
            continue
        number += 1
        for ours, ref in (("conv1", "conv2d1"), ("conv2", "conv2d2"), ("shortcut", "conv2d0")):
            c.sn(generator.get_layer(f"block{number}_{ours}"), f"{key}.{ref}")
        for norm in ("norm1", "norm2"):
            layer, ref = generator.get_layer(f"block{number}_{norm}"), f"{key}.bn{norm[-1]}"
            c.stats(layer.batch_norm, f"{ref}.bn")
            c.sn(layer.gain, f"{ref}.gain")
            c.sn(layer.bias, f"{ref}.bias")
    norm = generator.get_layer("output_norm")
    c.set(norm.gamma, "bn4.weight")
    c.set(norm.beta, "bn4.bias")
    c.stats(norm, "bn4")
    c.sn(generator.get_layer("to_image"), "conv2d5")
    c.check_all_used()


def set_studiogan_discriminator(discriminator, arrays: dict) -> None:
    """Copy a big_resnet D state dict into ganzoo's biggan discriminator."""
    c = studiogan.TorchSNCopier(arrays, "D", "biggan")
    number = 0
    for i, kind in studiogan.block_layout(arrays):
        key = f"blocks.{i}.0"
        if kind == "attention":
            c.attention(discriminator.get_layer("attention"), key)
            continue
        number += 1
        c.sn(discriminator.get_layer(f"block{number}_conv1"), f"{key}.conv2d1")
        c.sn(discriminator.get_layer(f"block{number}_conv2"), f"{key}.conv2d2")
        if f"{key}.conv2d0.weight_orig" in arrays:
            c.sn(discriminator.get_layer(f"block{number}_shortcut"), f"{key}.conv2d0")
    head = discriminator.get_layer("projection")
    c.sn(head.dense, "linear1")
    c.sn(head.embedding, "embedding")
    c.check_all_used()


def load_studiogan(path: Path, discriminator=None):
    """A compiled ``biggan`` GAN holding the G (or G_ema) file as G and its EMA copy
    and, given ``discriminator``, the D file."""
    gan, g_settings = _load(path, discriminator,
                            (read_studiogan_generator, read_studiogan_discriminator),
                            studiogan_config_kwargs,
                            (set_studiogan_generator, set_studiogan_discriminator))
    if not g_settings["hierarchical_z"]:  # optimizers without the frozen one-hot embedding
        gan.compile()
    return gan

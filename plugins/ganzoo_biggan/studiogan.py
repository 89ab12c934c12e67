"""Importing PyTorch-StudioGAN checkpoints (``studiogan`` format).

StudioGAN (github.com/POSTECH-CVLab/PyTorch-StudioGAN) saves, per run,
``model=G-{best,current}-weights-step=N.pth``, ``model=G_ema-...`` and
``model=D-...``: ``torch.save`` of a dict whose ``state_dict`` is the
network's, next to the optimizer's state and (in D's) the run's records.
They are read without PyTorch (``ganzoo.importers.pth_reader.read_pth``,
which here also accepts NumPy scalars: the best FID is one), and only the
state dict is used. The files hold no config: the backbone and its settings
come from the keys and shapes.

The ``big_resnet`` backbone (StudioGAN's BigGAN) becomes ganzoo's ``biggan``:

- ``shared.weight`` (classes, shared_dim) is the shared embedding;
  ``linear0`` takes one z chunk; each ``blocks.<i>.0`` with a ``conv2d1`` is
  an up-sampling block and one with a ``sigma`` a self-attention block after
  the previous one; every cBN takes ``[embedding, z chunk]``;
- D's ``blocks.<i>.0`` are its blocks and attention in the same way;
  ``linear1`` and ``embedding`` are its projection head (``d_cond_mtd: PD``).

Where StudioGAN's networks compute something else than ganzoo's defaults the
importer sets ``biggan``'s options (docs/pretrained.md lists them):
``spectral_norm_sigma="stored_uv"`` (``torch.nn.utils.spectral_norm`` keeps
``weight_u`` and ``weight_v`` and, in eval mode, uses them without a power
step), ``bn_epsilon=1e-4``, ``cbn_bias=False``, ``d_activated_shortcut=True``
(its D blocks' in-place ReLU also changes what their shortcut reads), at
32x32 ``d_final_resolution=8``, and no orthogonal regularization.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ganzoo.errors import GanzooError, ImporterError
from ganzoo.importers import without_data_parallel_prefix
from ganzoo.layers import SNEmbedding
from ganzoo_biggan.importer import _Copier, d_resolutions

FORMAT = "studiogan"
DESCRIPTION = ("PyTorch-StudioGAN checkpoints: model=G-...pth or model=G_ema-...pth "
               "(BigGAN backbone), and its model=D-...pth with --discriminator")
BLOCK = re.compile(r"blocks\.(\d+)\.0\.")
ATTENTION = {"conv1x1_theta": "query", "conv1x1_phi": "key", "conv1x1_g": "value",
             "conv1x1_attn": "output"}
_SN = r"(weight_orig|weight_u|weight_v|bias)"
_ATT = rf"blocks\.\d+\.0\.(conv1x1_(theta|phi|g|attn)\.{_SN}|sigma)"
G_KEYS = re.compile(
    rf"shared\.weight|linear0\.{_SN}|blocks\.\d+\.0\.conv2d[012]\.{_SN}"
    rf"|blocks\.\d+\.0\.bn[12]\.(bn\.(running_mean|running_var|num_batches_tracked)"
    rf"|(gain|bias)\.{_SN})|{_ATT}|bn4\.(weight|bias|running_mean|running_var"
    rf"|num_batches_tracked)|conv2d5\.{_SN}")
D_KEYS = re.compile(rf"blocks\.\d+\.0\.conv2d[012]\.{_SN}|{_ATT}|linear1\.{_SN}"
                    rf"|embedding\.{_SN}")
IGNORED = re.compile(r"num_batches_tracked$")


def _numpy_globals() -> dict:
    from ganzoo.importers import safe_pickle

    names = {}
    for core in ("numpy.core.multiarray", "numpy._core.multiarray"):
        names[(core, "scalar")] = safe_pickle._scalar
    names[("numpy", "dtype")] = safe_pickle._dtype
    names[("_codecs", "encode")] = safe_pickle._codecs_encode  # a scalar's bytes
    return names


def read_checkpoint(path, what: str) -> dict[str, np.ndarray]:
    """The ``state_dict`` of a StudioGAN checkpoint file; one error line otherwise."""
    from ganzoo.importers.pth_reader import read_pth

    try:
        obj = read_pth(path, extra=_numpy_globals())
    except GanzooError as e:
        message = str(e)
        raise ImporterError(message if str(path) in message else f"{what} {path}: {message}") \
            from None
    state = obj.get("state_dict") if isinstance(obj, dict) else None
    if not isinstance(state, dict):
        raise ImporterError(f"{what} {path} is not a StudioGAN checkpoint (no 'state_dict' "
                            "entry; StudioGAN saves model=G-...pth, model=G_ema-...pth, "
                            "model=D-...pth)")
    return without_data_parallel_prefix(
        {str(k): v for k, v in state.items() if isinstance(v, np.ndarray)})


def _need(arrays, key, ndim, what, path) -> np.ndarray:
    value = arrays.get(key)
    if value is None or value.ndim != ndim:
        raise ImporterError(f"{what} {path} has no {ndim}-axis '{key}'; is it a StudioGAN "
                            f"big_resnet {what} with spectral norm?")
    return value


def _known(arrays, pattern, what, path) -> None:
    unknown = sorted(k for k in arrays if not pattern.fullmatch(k))
    if unknown:
        raise ImporterError(f"{what} {path} has weights ganzoo's biggan does not: "
                            f"{', '.join(unknown[:4])}")


def _layout(arrays) -> list[tuple[int, str]]:
    """``(index, "block" or "attention")`` of each ``blocks.<i>``, in order."""
    found = sorted({int(m[1]) for k in arrays if (m := BLOCK.match(k))})
    return [(i, "attention" if f"blocks.{i}.0.sigma" in arrays else "block") for i in found]


def _attention_after(layout, resolution, what, path) -> int:
    """The resolution of the one block followed by attention (0: none)."""
    places, blocks = [], -1
    for _, kind in layout:
        if kind == "block":
            blocks += 1
        else:
            places.append(blocks)
    if len(places) > 1:
        raise ImporterError(f"{what} {path} attends after {len(places)} blocks; ganzoo's "
                            "biggan attends at one resolution")
    return resolution(places[0]) if places else 0


def _backbone_error(arrays, path) -> None:
    """One error line for files of the backbones this format does not import."""
    if "linear1.weight_orig" in arrays or "linear1.weight" in arrays:
        raise ImporterError(f"{path} is a StudioGAN D: give its model=G-... or "
                            "model=G_ema-... file as FILE and this one as --discriminator")
    if any(k.startswith(("mapping.", "synthesis.")) for k in arrays):
        raise ImporterError(f"{path} is a StudioGAN StyleGAN generator; ganzoo imports "
                            "StudioGAN's big_resnet (BigGAN) networks")
    if "shared.weight" not in arrays:
        raise ImporterError(f"G {path} has no shared class embedding: not a conditional "
                            "StudioGAN big_resnet G (other backbones and g_cond_mtd 'W/O' do "
                            "not import)")
    if "linear0.weight" in arrays:
        raise ImporterError(f"G {path} has no spectral norm (apply_g_sn: False); ganzoo "
                            "imports StudioGAN's BigGAN with it")


def read_generator(path) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a big_resnet G (or G_ema) checkpoint."""
    arrays = read_checkpoint(path, "G")
    _backbone_error(arrays, path)
    classes, shared_dim = _need(arrays, "shared.weight", 2, "G", path).shape
    linear = _need(arrays, "linear0.weight_orig", 2, "G", path)
    layout = _layout(arrays)
    blocks = [i for i, kind in layout if kind == "block"]
    if not blocks or linear.shape[0] % 16:
        raise ImporterError(f"G {path}: no up-sampling blocks, or linear0 {linear.shape} is "
                            "not a 4x4 map; is it a StudioGAN big_resnet G?")
    widths = [linear.shape[0] // 16] + [
        int(_need(arrays, f"blocks.{i}.0.conv2d1.weight_orig", 4, "G", path).shape[0])
        for i in blocks]
    chunk = int(linear.shape[1])
    cond = int(_need(arrays, f"blocks.{blocks[0]}.0.bn1.gain.weight_orig", 2, "G",
                     path).shape[1])
    if cond != shared_dim + chunk:
        raise ImporterError(f"G {path}: the cBNs take {cond} inputs, not the embedding's "
                            f"{shared_dim} + a z chunk of {chunk} (InfoGAN codes do not import)")
    _known(arrays, G_KEYS, "G", path)
    settings = {
        "image_size": 4 * 2 ** len(blocks),
        "channels": int(_need(arrays, "conv2d5.weight_orig", 4, "G", path).shape[0]),
        "num_classes": int(classes), "shared_dim": int(shared_dim),
        "latent_dim": chunk * (len(blocks) + 1),
        "attention_resolution": _attention_after(layout, lambda b: 8 * 2**b, "G", path),
        "widths": widths,
    }
    return arrays, settings


def read_discriminator(path, image_size: int) -> tuple[dict, dict]:
    """``(arrays, settings)`` of a big_resnet D checkpoint for a G of ``image_size``."""
    arrays = read_checkpoint(path, "D")
    if "shared.weight" in arrays:
        raise ImporterError(f"--discriminator {path} is a StudioGAN G, not its D")
    linear = _need(arrays, "linear1.weight_orig", 2, "D", path)
    if "embedding.weight_orig" not in arrays or linear.shape[0] != 1 \
            or any(k.startswith(("linear2.", "linear_mi.", "info_")) for k in arrays):
        raise ImporterError(f"--discriminator {path}: its conditioning is not a projection "
                            "(d_cond_mtd: PD), the only one ganzoo's biggan imports")
    layout = _layout(arrays)
    blocks = [i for i, kind in layout if kind == "block"]
    levels = int(math.log2(image_size // 4)) + 1
    if len(blocks) != levels:
        raise ImporterError(f"--discriminator {path} has {len(blocks)} blocks, a {image_size}x"
                            f"{image_size} StudioGAN big_resnet D has {levels}: not its G's D")
    widths = [int(_need(arrays, f"blocks.{i}.0.conv2d1.weight_orig", 4, "D", path).shape[0])
              for i in blocks]
    _known(arrays, D_KEYS, "D", path)
    sizes = d_resolutions(image_size, len(blocks))
    classes, width = arrays["embedding.weight_orig"].shape
    if width != widths[-1]:
        raise ImporterError(f"--discriminator {path}: its embedding is {width} wide, the last "
                            f"block {widths[-1]}")
    return arrays, {
        "num_classes": int(classes), "d_widths": widths,
        "channels": int(arrays[f"blocks.{blocks[0]}.0.conv2d1.weight_orig"].shape[1]),
        "d_attention_resolution": _attention_after(layout, lambda b: sizes[b], "D", path)}


def config_kwargs(g: dict, d: dict | None = None) -> dict:
    """``BigGANConfig`` fields of StudioGAN's networks (from ``read_*``'s settings)."""
    for key in ("num_classes", "channels"):
        if d is not None and d[key] != g[key]:
            raise ImporterError(f"G has {key}={g[key]}, D {d[key]}: not one run's files")
    size = g["image_size"]
    if size < 16 or g["channels"] not in (1, 3):
        raise ImporterError(f"unsupported network: {size}x{size}, {g['channels']} channels")
    d_widths = d["d_widths"] if d else _default_d_widths(size, g["widths"][-1])
    base = math.gcd(*g["widths"], *d_widths)
    kwargs = {k: v for k, v in g.items() if k != "widths"}
    kwargs.update(base_filters=base, channel_multipliers=tuple(w // base for w in g["widths"]),
                  hierarchical_z=True, spectral_norm_sigma="stored_uv", cbn_bias=False,
                  bn_epsilon=1e-4, d_activated_shortcut=True, orthogonal_weight=0.0,
                  d_final_resolution=8 if size == 32 else 4)
    kwargs["d_channel_multipliers"] = tuple(w // base for w in d_widths)
    if d is not None:
        kwargs["d_attention_resolution"] = d["d_attention_resolution"]
    else:  # StudioGAN's configs attend after D's first block
        kwargs["d_attention_resolution"] = size // 2 if g["attention_resolution"] else 0
    return kwargs


def _default_d_widths(size: int, last_g_width: int) -> list[int]:
    """StudioGAN's D widths for G's ``d_conv_dim`` = its ``g_conv_dim`` (the configs' choice)."""
    ch = last_g_width // 4 if size == 32 else last_g_width
    if size == 32:
        return [2 * ch] * 4
    levels = int(math.log2(size // 4)) + 1
    table = {64: (1, 2, 4, 8, 16), 128: (1, 2, 4, 8, 16, 16), 256: (1, 2, 4, 8, 8, 16, 16),
             512: (1, 1, 2, 4, 8, 8, 16, 16)}
    return [ch * m for m in table.get(size, (1,) * levels)]


# -- weights -------------------------------------------------------------------
def _conv_v(a: np.ndarray, kernel_shape) -> np.ndarray:
    """torch's ``weight_v`` (in, kh, kw order) in ganzoo's kernel rows (kh, kw, in)."""
    kh, kw, cin, _ = kernel_shape
    return a.reshape(cin, kh, kw).transpose(1, 2, 0).reshape(-1)


class _StudioCopier(_Copier):
    def sn(self, layer, key, transform=None):
        kernel = layer.stored_kernel
        conv = kernel.ndim == 4
        if transform is None:
            transform = (lambda a: a.transpose(2, 3, 1, 0)) if conv else (lambda a: a.T)
        if isinstance(layer, SNEmbedding):  # a table: (classes, dim) as saved
            transform = lambda a: a  # noqa: E731
        self.set(kernel, f"{key}.weight_orig", transform)
        if getattr(layer, "bias", None) is not None:
            self.set(layer.bias, f"{key}.bias")
        self.set(layer.sn_u, f"{key}.weight_u")
        if not hasattr(layer, "sn_v"):  # built with another sigma estimate: v unused
            self.get(f"{key}.weight_v")
            return
        self.set(layer.sn_v, f"{key}.weight_v",
                 (lambda a: _conv_v(a, kernel.shape)) if conv else (lambda a: a))

    def attention(self, layer, key):
        for ref, name in ATTENTION.items():
            self.sn(getattr(layer, f"{name}_conv"), f"{key}.{ref}")
        self.set(layer.gamma, f"{key}.sigma", lambda a: a.reshape(()))

    def stats(self, norm, key):
        self.set(norm.moving_mean, f"{key}.running_mean")
        self.set(norm.moving_variance, f"{key}.running_var")

    def cbn(self, layer, key):
        self.stats(layer.batch_norm, f"{key}.bn")
        self.sn(layer.gain, f"{key}.gain")
        self.sn(layer.bias, f"{key}.bias")

    def check_all_used(self):
        left = sorted(k for k in self.arrays if k not in self.used and not IGNORED.search(k))
        if left:
            raise ImporterError(f"{self.what} has weights ganzoo's biggan does not: "
                                f"{', '.join(left[:4])}")


def set_generator(generator, arrays: dict, what: str = "G") -> None:
    """Copy a big_resnet G state dict into ganzoo's biggan generator."""
    c = _StudioCopier(generator, arrays, what)
    c.set(generator.get_layer("shared_embedding").embeddings, "shared.weight")
    project = generator.get_layer("project")
    width = project.units // 16

    def to_hwc(a):  # rows (channel, row, column) -> (row, column, channel)
        return a.reshape(width, 4, 4, *a.shape[1:]).transpose(1, 2, 0, *range(3, a.ndim + 2)) \
            .reshape(a.shape)
    c.sn(project, "linear0", lambda a: to_hwc(a).T)
    c.set(project.bias, "linear0.bias", to_hwc)
    c.set(project.sn_u, "linear0.weight_u", to_hwc)
    number = 0
    for i, kind in _layout(arrays):
        key = f"blocks.{i}.0"
        if kind == "attention":
            c.attention(generator.get_layer("attention"), key)
            continue
        number += 1
        for ours, ref in (("conv1", "conv2d1"), ("conv2", "conv2d2"), ("shortcut", "conv2d0")):
            c.sn(generator.get_layer(f"block{number}_{ours}"), f"{key}.{ref}")
        c.cbn(generator.get_layer(f"block{number}_norm1"), f"{key}.bn1")
        c.cbn(generator.get_layer(f"block{number}_norm2"), f"{key}.bn2")
    norm = generator.get_layer("output_norm")
    c.set(norm.gamma, "bn4.weight")
    c.set(norm.beta, "bn4.bias")
    c.stats(norm, "bn4")
    c.sn(generator.get_layer("to_image"), "conv2d5")
    c.check_all_used()


def set_discriminator(discriminator, arrays: dict) -> None:
    """Copy a big_resnet D state dict into ganzoo's biggan discriminator."""
    c = _StudioCopier(discriminator, arrays, "D")
    number = 0
    for i, kind in _layout(arrays):
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


def load_gan(path: Path, discriminator=None):
    """A compiled ``biggan`` GAN holding the G (or G_ema) file as G and its EMA copy
    and, given ``discriminator``, the D file."""
    from ganzoo.api import get_architecture

    g_arrays, g_settings = read_generator(path)
    d_arrays = d_settings = None
    if discriminator is not None:
        if not Path(discriminator).is_file():
            raise ImporterError(f"--discriminator {discriminator}: no such file")
        d_arrays, d_settings = read_discriminator(discriminator, g_settings["image_size"])
    architecture = get_architecture("biggan")
    config = architecture.make_config(**config_kwargs(g_settings, d_settings))
    gan = architecture.build(config)
    set_generator(gan.generator, g_arrays)
    if gan.ema_generator is not None:
        set_generator(gan.ema_generator, g_arrays)
    if d_arrays is not None:
        set_discriminator(gan.discriminator, d_arrays)
    return gan

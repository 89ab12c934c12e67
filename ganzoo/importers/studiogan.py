"""What every PyTorch-StudioGAN checkpoint importer shares.

StudioGAN (github.com/POSTECH-CVLab/PyTorch-StudioGAN) saves, per run,
``model=G-{best,current}-weights-step=N.pth``, ``model=G_ema-...`` and
``model=D-...``: ``torch.save`` of a dict whose ``state_dict`` is the
network's, next to the optimizer's state and (in D's file) the run's records,
among them the best FID as a NumPy float. :func:`read_checkpoint` reads the
state dict without PyTorch (``pth_reader.read_pth``, allowing NumPy scalars
besides tensors and plain containers). The files hold no config: importers
read the architecture from the keys and shapes.

Its networks list their blocks as ``blocks.<i>.0``, self-attention blocks
(``conv1x1_theta/phi/g/attn`` and ``sigma``) as entries of their own
(:func:`block_layout`), and wrap layers in ``torch.nn.utils.spectral_norm``:
``weight_orig``, ``weight_u`` and ``weight_v``, which :class:`TorchSNCopier`
puts into ganzoo's spectral-norm layers built with
``sigma_estimate="stored_uv"``.
"""

from __future__ import annotations

import re

import numpy as np

from ganzoo.errors import GanzooError, ImporterError
from ganzoo.importers import StateDictCopier, without_data_parallel_prefix

BLOCK = re.compile(r"blocks\.(\d+)\.0\.")
ATTENTION = {"conv1x1_theta": "query", "conv1x1_phi": "key", "conv1x1_g": "value",
             "conv1x1_attn": "output"}


def _numpy_globals() -> dict:
    from ganzoo.importers import safe_pickle

    names = {("numpy", "dtype"): safe_pickle._dtype,
             ("_codecs", "encode"): safe_pickle._codecs_encode}  # a scalar's bytes
    for core in ("numpy.core.multiarray", "numpy._core.multiarray"):
        names[(core, "scalar")] = safe_pickle._scalar
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


def block_layout(arrays) -> list[tuple[int, str]]:
    """``(index, "block" or "attention")`` of each ``blocks.<i>`` entry, in order."""
    found = sorted({int(m[1]) for k in arrays if (m := BLOCK.match(k))})
    return [(i, "attention" if f"blocks.{i}.0.sigma" in arrays else "block") for i in found]


def attention_after(layout, resolution, what: str, path, arch: str) -> int:
    """``resolution(b)`` of the one block ``b`` followed by attention (0: none)."""
    places, blocks = [], -1
    for _, kind in layout:
        if kind == "block":
            blocks += 1
        else:
            places.append(blocks)
    if len(places) > 1:
        raise ImporterError(f"{what} {path} attends after {len(places)} blocks; ganzoo's "
                            f"{arch} attends at one resolution")
    return resolution(places[0]) if places else 0


def _conv_v(a: np.ndarray, kernel_shape) -> np.ndarray:
    """torch's ``weight_v`` (in, kh, kw order) in ganzoo's kernel rows (kh, kw, in)."""
    kh, kw, cin, _ = kernel_shape
    return a.reshape(cin, kh, kw).transpose(1, 2, 0).reshape(-1)


class TorchSNCopier(StateDictCopier):
    """Copies a StudioGAN state dict's arrays into a ganzoo network (torch's
    spectral-norm parametrization: ``weight_orig``, ``weight_u``, ``weight_v``)."""

    def sn(self, layer, key, transform=None):
        """A spectral-normalized dense, conv or embedding layer: kernel, bias, u and
        v (conv kernels from [out, in, kh, kw]; an embedding's table as saved)."""
        from ganzoo.layers import SNEmbedding

        kernel = layer.stored_kernel
        conv = kernel.ndim == 4
        if transform is None:
            transform = (lambda a: a.transpose(2, 3, 1, 0)) if conv else (lambda a: a.T)
        if isinstance(layer, SNEmbedding):
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

"""A restricted unpickler for network pickles: no PyTorch, no TensorFlow, no code run.

``pickle.load`` calls whatever callable a file names, so a pickle from the
internet can run anything. :func:`load` resolves only an allow-list of names
(:data:`ALLOWED`), each bound to a stand-in written here, and turns every other
name into one :class:`UnsafePickleError` naming what the file tried to load:

- plain containers (``collections.OrderedDict``, ``builtins.set`` ...);
- NumPy scalars, dtypes and arrays under both the NumPy 1 (``numpy.core``)
  and NumPy 2 (``numpy._core``) module names, object dtypes refused;
- PyTorch tensors and parameters as plain ``pickle`` writes them
  (``torch._utils._rebuild_tensor_v2`` of a storage made by
  ``torch.storage._load_from_bytes``, whose bytes are a legacy-format
  ``torch.save`` archive): decoded to NumPy arrays, bounds-checked;
- ``torch_utils.persistence`` objects (stylegan2-ada-pytorch, stylegan3):
  they carry their module's source code, which is kept as text and never
  executed; the object becomes a :class:`PersistentObject` holding its class
  name, that source and its state (an ``nn.Module``'s ``__dict__``);
- ``dnnlib`` ``EasyDict``s, as plain dicts;
- ``dnnlib.tflib.network.Network`` objects (NVIDIA's TensorFlow pickles:
  StyleGAN, ProGAN's TF port): a :class:`TFNetwork` keeping the pickled
  state (name, ``static_kwargs``, sub-networks, ``variables`` by name); the
  module source it carries stays text and is never executed.

:func:`module_arrays` flattens a ``PersistentObject`` module tree into
``"mapping.fc0.weight" -> array`` as PyTorch's ``state_dict`` would name it.
"""

from __future__ import annotations

import io
import pickle
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ganzoo.errors import GanzooError, ImporterError, UnsafePickleError
from ganzoo.importers.pth_reader import (
    LEGACY_MAGIC,
    STORAGE_DTYPES,
    _ascii,
    _StorageType,
)
from ganzoo.importers.tf_network import TFNetwork


@dataclass
class PersistentObject:
    """A ``torch_utils.persistence`` object, read without running its source."""

    class_name: str
    module_src: str
    state: dict = field(repr=False)

    @property
    def modules(self) -> dict:
        return dict(self.state.get("_modules") or {})

    def attr(self, name: str, default: Any = None) -> Any:
        return self.state.get(name, default)

    @property
    def init_kwargs(self) -> dict:
        return dict(self.state.get("_init_kwargs") or {})


class EasyDict(dict):
    """``dnnlib.EasyDict``'s stand-in: a dict whose pickled state is its items."""

    def __setstate__(self, state):
        if state:
            self.update(state)


def _persistent(meta) -> PersistentObject:
    if not isinstance(meta, dict) or meta.get("type") != "class":
        raise UnsafePickleError("a torch_utils.persistence object without class metadata")
    if not isinstance(meta.get("class_name"), str):
        raise UnsafePickleError("a torch_utils.persistence object without a class name")
    state = meta.get("state") or {}
    if not isinstance(state, dict):
        raise UnsafePickleError(f"persistent {meta['class_name']} has a non-dict state")
    return PersistentObject(meta["class_name"], str(meta.get("module_src", "")), dict(state))


# -- NumPy -------------------------------------------------------------------
def _dtype(spec, align=False, copy=False):
    dt = np.dtype(spec, align, copy) if not isinstance(spec, np.dtype) else spec
    if dt.hasobject:
        raise UnsafePickleError("a NumPy object dtype (it would unpickle arbitrary objects)")
    return dt


def _scalar(dtype, data=None):
    if not isinstance(dtype, np.dtype) or dtype.hasobject or not isinstance(data, bytes):
        raise UnsafePickleError("a NumPy scalar that is not plain numeric data")
    return np.frombuffer(data, dtype, count=1)[0]


def _reconstruct(subtype, shape, typecode):
    if subtype is not np.ndarray:
        raise UnsafePickleError(f"a NumPy array of subtype {subtype!r:.60}")
    return np.ndarray.__new__(np.ndarray, shape, _dtype(typecode))


# -- PyTorch -----------------------------------------------------------------
class _Storage:
    def __init__(self, data: np.ndarray):
        self.data = data


def _rebuild_tensor(storage, offset, size, stride, *_rest) -> np.ndarray:
    if not isinstance(storage, _Storage):
        raise UnsafePickleError("a tensor built from something other than a storage")
    data = storage.data
    size, stride, offset = tuple(map(int, size)), tuple(map(int, stride)), int(offset)
    if offset < 0 or any(s < 0 for s in stride) or len(size) != len(stride):
        raise UnsafePickleError("a tensor with a negative stride or offset")
    if 0 in size:
        return np.zeros(size, data.dtype)
    last = offset + sum((n - 1) * s for n, s in zip(size, stride, strict=True))
    if last >= data.size:
        raise UnsafePickleError(f"a tensor reaches element {last} of a {data.size}-element storage")
    view = np.lib.stride_tricks.as_strided(
        data[offset:], shape=size, strides=[s * data.itemsize for s in stride], writeable=False)
    return np.array(view)


def _rebuild_parameter(data, *_rest):
    if not isinstance(data, np.ndarray):
        raise UnsafePickleError("a parameter whose data is not a tensor")
    return data


class _StorageUnpickler(pickle.Unpickler):
    """The pickle inside a legacy ``torch.save`` archive of one storage."""

    def __init__(self, file, storages: dict):
        super().__init__(file, encoding="utf-8")
        self.storages = storages

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(np.dtype(STORAGE_DTYPES[name]))
        raise UnsafePickleError(f"refusing '{module}.{name}' inside a tensor's storage")

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and _ascii(pid[0]) == "storage"):
            raise UnsafePickleError(f"unknown persistent id {pid!r:.60} in a storage")
        storage_type, key, _location, numel = pid[1:5]
        if not isinstance(storage_type, _StorageType):
            raise UnsafePickleError(f"unsupported storage type {storage_type!r:.60}")
        if len(pid) > 5 and pid[5] is not None:
            raise UnsafePickleError("a storage view (torch < 1.0 file)")
        entry = (storage_type.dtype, int(numel))
        self.storages[_ascii(key)] = entry
        return entry


def _load_from_bytes(data) -> _Storage:
    """A storage from a legacy ``torch.save`` archive: magic, protocol, system
    info, the storage's pickle, its key list, then int64 element count + bytes."""
    if not isinstance(data, bytes):
        raise UnsafePickleError("torch.storage._load_from_bytes of something other than bytes")
    f = io.BytesIO(data)
    storages: dict = {}
    try:
        if _StorageUnpickler(f, storages).load() != LEGACY_MAGIC:
            raise ImporterError("a tensor's storage is not a legacy torch.save archive")
        _StorageUnpickler(f, storages).load()  # protocol version
        info = _StorageUnpickler(f, storages).load()
        if isinstance(info, dict) and info.get("little_endian") is False:
            raise ImporterError("the file was written on a big-endian machine")
        dtype, numel = _StorageUnpickler(f, storages).load()
        keys = _StorageUnpickler(f, storages).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as e:
        raise ImporterError(f"a tensor's storage is damaged ({e})") from None
    if len(keys) != 1:
        raise ImporterError("a tensor's storage archive holds more than one storage")
    count = int(np.frombuffer(f.read(8), "<i8")[0])
    raw = f.read(count * dtype.itemsize)
    if count != numel or len(raw) != numel * dtype.itemsize:
        raise ImporterError("a tensor's storage is truncated")
    return _Storage(np.frombuffer(raw, dtype).copy())


def _codecs_encode(text, encoding="utf-8"):
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1", "utf-8"):
        raise UnsafePickleError("_codecs.encode of something other than text")
    return text.encode(encoding)


def _torch_size(shape=()):
    return tuple(int(n) for n in shape)


ALLOWED: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): OrderedDict,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "dict"): dict,
    ("builtins", "list"): list,
    ("builtins", "tuple"): tuple,
    ("_codecs", "encode"): _codecs_encode,
    ("torch", "Size"): _torch_size,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    ("torch.storage", "_load_from_bytes"): _load_from_bytes,
    ("torch_utils.persistence", "_reconstruct_persistent_obj"): _persistent,
    ("dnnlib.util", "EasyDict"): EasyDict,
    ("dnnlib", "EasyDict"): EasyDict,
    ("dnnlib.tflib.network", "Network"): TFNetwork,
    ("numpy", "dtype"): _dtype,
    ("numpy", "ndarray"): np.ndarray,
}
for _numpy_core in ("numpy.core.multiarray", "numpy._core.multiarray"):
    ALLOWED[(_numpy_core, "scalar")] = _scalar
    ALLOWED[(_numpy_core, "_reconstruct")] = _reconstruct


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves the names of :data:`ALLOWED` (plus ``extra``) and nothing else."""

    def __init__(self, file, extra: dict | None = None):
        super().__init__(file, encoding="latin1")
        self.allowed = {**ALLOWED, **(extra or {})}

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self.allowed[(module, name)]
        except (KeyError, TypeError):
            raise UnsafePickleError(
                f"refusing to load '{module}.{name}': a network pickle never needs it "
                "(the file may try to run code)"
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError(f"unexpected persistent id {pid!r:.60} in a network pickle")


def load(path_or_file, extra: dict | None = None) -> Any:
    """Unpickle a file (path or binary file object) with :class:`RestrictedUnpickler`."""
    if hasattr(path_or_file, "read"):
        return _load(path_or_file, extra)
    with open(path_or_file, "rb") as f:
        return _load(f, extra)


def _load(f, extra) -> Any:
    try:
        return RestrictedUnpickler(f, extra).load()
    except GanzooError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError, MemoryError) as e:
        raise ImporterError(f"not a readable pickle ({type(e).__name__}: {e})") from None


def module_arrays(obj: PersistentObject, prefix: str = "") -> dict[str, np.ndarray]:
    """``state_dict``-style ``"a.b.weight" -> array`` of a module tree (parameters
    and buffers, submodules recursively)."""
    out: dict[str, np.ndarray] = {}
    for group in ("_parameters", "_buffers"):
        for name, value in (obj.state.get(group) or {}).items():
            if isinstance(value, np.ndarray):
                out[prefix + name] = value
    for name, child in obj.modules.items():
        if isinstance(child, PersistentObject):
            out.update(module_arrays(child, f"{prefix}{name}."))
    return out

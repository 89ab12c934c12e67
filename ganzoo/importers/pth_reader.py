"""Reading a PyTorch ``.pth`` state dict into NumPy arrays, without PyTorch.

A ``.pth`` file is a pickle whose tensors point at raw storages: in the zip
format (``torch.save`` since 1.6) each storage is a member ``<dir>/data/<key>``
next to ``<dir>/data.pkl``; in the legacy format the pickle is followed by
the list of storage keys and then each storage as an int64 element count and
its bytes. Unpickling runs code named by the file, so the unpickler here
resolves only the globals a state dict needs (``OrderedDict``, the tensor
rebuild functions, the storage types), plus the stand-ins an importer passes
for its format's plain records (``read_pth``'s ``extra``), and refuses
everything else; tensors become NumPy views checked to lie inside their storage.

Shared by the FID Inception's weights (``ganzoo.metrics``) and the importers
of ``.pth`` state dicts; every failure is one :class:`MetricsError` line
(:class:`UnsafePickleError` for what a state dict never needs).
"""

from __future__ import annotations

import io
import pickle
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from ganzoo.errors import MetricsError, UnsafePickleError

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


@dataclass(frozen=True)
class _StorageType:
    dtype: np.dtype


@dataclass
class _Storage:
    dtype: np.dtype
    key: str
    numel: int
    data: np.ndarray | None = None  # filled when the bytes are read


@dataclass
class _Tensor:
    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]

    def to_numpy(self) -> np.ndarray:
        data = self.storage.data
        if data is None or data.size != self.storage.numel:
            raise MetricsError(f"storage '{self.storage.key}' is missing or truncated")
        if any(s < 0 for s in self.stride) or self.offset < 0:
            raise UnsafePickleError("a tensor has a negative stride or offset")
        if 0 in self.size:
            return np.zeros(self.size, data.dtype)
        last = self.offset + sum(
            (n - 1) * s for n, s in zip(self.size, self.stride, strict=True)
        )
        if last >= data.size:  # as_strided would read past the buffer
            raise UnsafePickleError(
                f"a tensor reaches element {last} of a {data.size}-element storage"
            )
        view = np.lib.stride_tricks.as_strided(
            data[self.offset :],
            shape=self.size,
            strides=[s * data.itemsize for s in self.stride],
            writeable=False,
        )
        return np.array(view)


def _rebuild_tensor(storage, offset, size, stride, *_rest) -> _Tensor:
    if not isinstance(storage, _Storage):
        raise UnsafePickleError("a tensor is built from something other than a storage")
    return _Tensor(
        storage, int(offset), tuple(int(n) for n in size), tuple(int(s) for s in stride)
    )


def _rebuild_parameter(data, *_rest):
    return data


_GLOBALS = {
    ("collections", "OrderedDict"): OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
}


class _StateDictUnpickler(pickle.Unpickler):
    """Resolves only the names of :data:`_GLOBALS` and the storage types."""

    def __init__(self, file, storages: dict[str, _Storage], extra: dict | None = None):
        super().__init__(file, encoding="utf-8")
        self.storages = storages
        self.globals = {**_GLOBALS, **(extra or {})}

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(np.dtype(STORAGE_DTYPES[name]))
        if (module, name) in self.globals:
            return self.globals[(module, name)]
        raise UnsafePickleError(
            f"refusing to load '{module}.{name}' from a .pth file: a state dict of "
            "plain tensors never needs it (is this a whole pickled model?)"
        )

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and pid and _ascii(pid[0]) == "storage"):
            raise UnsafePickleError(f"unknown persistent id {pid!r:.60} in a .pth file")
        storage_type, key, _location, numel = pid[1:5]
        if not isinstance(storage_type, _StorageType):
            raise UnsafePickleError(f"unsupported storage type {storage_type!r:.60}")
        key = _ascii(key)
        root = self.storages.setdefault(
            key, _Storage(storage_type.dtype, key, int(numel))
        )
        view = pid[5] if len(pid) > 5 else None
        if view is None:
            return root
        view_key, offset, view_numel = view  # legacy files only: a slice of a storage
        return _View(root, _ascii(view_key), int(offset), int(view_numel))


class _View(_Storage):
    """A slice of another storage (legacy-format files only)."""

    def __init__(self, root: _Storage, key: str, offset: int, numel: int):
        super().__init__(root.dtype, key, numel)
        self.root, self.view_offset = root, offset


def _ascii(value: Any) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else str(value)


def _materialize(obj: Any) -> Any:
    if isinstance(obj, _Tensor):
        if isinstance(obj.storage, _View):
            v = obj.storage
            v.data = v.root.data[v.view_offset : v.view_offset + v.numel]
        return obj.to_numpy()
    if isinstance(obj, dict):
        return OrderedDict((k, _materialize(v)) for k, v in obj.items())
    return obj


def _read_zip(data: bytes, extra: dict | None) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        pkl = [n for n in names if n.endswith("data.pkl")]
        if len(pkl) != 1:
            raise MetricsError(
                "the .pth zip archive has no single data.pkl; is it a torch.save file?"
            )
        prefix = pkl[0][: -len("data.pkl")]
        if (
            f"{prefix}byteorder" in names
            and z.read(f"{prefix}byteorder").strip() != b"little"
        ):
            raise MetricsError(
                "the .pth file was saved on a big-endian machine; re-save it little-endian"
            )
        storages: dict[str, _Storage] = {}
        obj = _StateDictUnpickler(io.BytesIO(z.read(pkl[0])), storages, extra).load()
        for key, st in storages.items():
            raw = z.read(f"{prefix}data/{key}")
            st.data = np.frombuffer(
                raw, st.dtype, count=min(st.numel, len(raw) // st.dtype.itemsize)
            )
    return obj


def _read_legacy(data: bytes, extra: dict | None) -> Any:
    f = io.BytesIO(data)
    try:
        magic = _StateDictUnpickler(f, {}).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as e:
        raise MetricsError(f"not a PyTorch .pth file ({e})") from None
    if magic != LEGACY_MAGIC:
        raise MetricsError(
            "not a PyTorch .pth file (no zip archive, no legacy magic number)"
        )
    _StateDictUnpickler(f, {}).load()  # protocol version
    _StateDictUnpickler(f, {}).load()  # sys info
    storages: dict[str, _Storage] = {}
    obj = _StateDictUnpickler(f, storages, extra).load()
    keys = _StateDictUnpickler(f, {}).load()
    for key in keys:
        st = storages[_ascii(key)]
        numel = int(np.frombuffer(f.read(8), "<i8")[0])
        raw = f.read(numel * st.dtype.itemsize)
        st.data = np.frombuffer(raw, st.dtype, count=len(raw) // st.dtype.itemsize)
    return obj


def read_pth(path, extra: dict | None = None) -> Any:
    """The object a ``torch.save`` file holds (zip or legacy format), tensors as
    NumPy arrays inside its dicts. ``extra`` maps ``(module, name)`` to stand-ins
    for further globals the file may name (an importer's plain records); every
    other global is refused."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        zipped = data[:4] == b"PK\x03\x04"
        obj = _read_zip(data, extra) if zipped else _read_legacy(data, extra)
        return _materialize(obj)
    except MetricsError:
        raise
    except (zipfile.BadZipFile, pickle.UnpicklingError, EOFError, ValueError, TypeError,
            KeyError, IndexError, AttributeError, MemoryError) as e:
        raise MetricsError(f"{path} is not a readable PyTorch .pth file "
                           f"({type(e).__name__}: {e})") from None


def read_state_dict(path) -> dict[str, np.ndarray]:
    """``name -> array`` of a ``torch.save``'d state dict (zip or legacy format)."""
    obj = read_pth(path)
    if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise MetricsError(f"{path} holds a {type(obj).__name__}, not a state dict")
    return {str(k): v for k, v in obj.items() if isinstance(v, np.ndarray)}

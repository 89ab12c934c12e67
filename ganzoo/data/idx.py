"""Reading and writing IDX files, the format of MNIST and Fashion-MNIST.

An IDX file is two zero bytes, a type code, the number of dimensions, each
dimension as a big-endian uint32, then the data in big-endian order. Files may
be gzipped (``.gz``); both forms are read.
"""

from __future__ import annotations

import gzip
import os
import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ganzoo.errors import DataError

# IDX type code -> big-endian NumPy dtype
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}
_IDX_NAME = re.compile(r"idx\d", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"


def looks_like_idx(path: str | os.PathLike) -> bool:
    """Whether ``path`` is named like an IDX file (``*idx3-ubyte``, ``*.idx1-ubyte.gz``…)."""
    return bool(_IDX_NAME.search(Path(path).name))


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == _GZIP_MAGIC else open(path, "rb")


def _read_header(f: BinaryIO, path: Path) -> tuple[np.dtype, tuple[int, ...]]:
    head = f.read(4)
    if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in IDX_DTYPES:
        raise DataError(
            f"{path} is not an IDX file (bad magic number {head.hex() or 'empty'}); "
            "check the file or download it again"
        )
    ndim = head[3]
    raw = f.read(4 * ndim)
    if len(raw) < 4 * ndim:
        raise DataError(
            f"IDX file {path} is truncated in its header; download it again"
        )
    return IDX_DTYPES[head[2]], struct.unpack(f">{ndim}I", raw)


def read_idx_header(path: str | os.PathLike) -> tuple[np.dtype, tuple[int, ...]]:
    """The dtype and shape an IDX file holds, reading only its header."""
    path = Path(path)
    try:
        with _open(path) as f:
            return _read_header(f, path)
    except (OSError, EOFError) as exc:
        raise DataError(
            f"cannot read IDX file {path} ({exc}); download it again"
        ) from exc


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in an IDX file (native byte order)."""
    path = Path(path)
    try:
        with _open(path) as f:
            dtype, shape = _read_header(f, path)
            expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            data = f.read(expected)
    except (OSError, EOFError) as exc:
        raise DataError(
            f"cannot read IDX file {path} ({exc}); download it again"
        ) from exc
    if len(data) < expected:
        raise DataError(
            f"IDX file {path} is truncated ({len(data)} of {expected} data bytes); "
            "download it again"
        )
    return (
        np.frombuffer(data, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
    )


def write_idx(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write ``array`` as an IDX file; gzipped when ``path`` ends with ``.gz``."""
    path = Path(path)
    array = np.asarray(array)
    code = _CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise DataError(
            f"cannot write {array.dtype} to IDX file {path}; "
            "use uint8, int8, int16, int32, float32 or float64"
        )
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, code, array.ndim, *array.shape)
    payload = header + np.ascontiguousarray(array, IDX_DTYPES[code]).tobytes()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as f:
        f.write(payload)
    return path

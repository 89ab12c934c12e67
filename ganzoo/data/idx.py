"""Reading and writing IDX files, the format of MNIST and Fashion-MNIST.

An IDX file is two zero bytes, a type code, the number of dimensions, each
dimension as a big-endian uint32, then the data in big-endian order. Files may
be gzipped (``.gz``); both forms are read. (Writing IDX is not ganzoo's job.)
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
    code: np.dtype(kind)
    for code, kind in ((0x08, ">u1"), (0x09, ">i1"), (0x0B, ">i2"), (0x0C, ">i4"), (0x0D, ">f4"), (0x0E, ">f8"))
}
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

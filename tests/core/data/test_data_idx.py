import gzip

import numpy as np
import pytest
from data_helpers import write_idx

from ganzoo.data import DataError, read_idx
from ganzoo.data.idx import read_idx_header


@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32])
def test_round_trip(tmp_path, name, dtype):
    array = (np.arange(2 * 3 * 4) - 5).astype(dtype).reshape(2, 3, 4)
    if dtype == np.uint8:
        array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / name, array)
    np.testing.assert_array_equal(read_idx(path), array)
    assert read_idx_header(path) == (np.dtype(dtype).newbyteorder(">"), (2, 3, 4))


def test_gzip_detected_by_content_not_name(tmp_path):
    path = tmp_path / "x-idx1-ubyte"  # gzipped data without the .gz suffix
    write_idx(tmp_path / "x.gz", np.arange(5, dtype=np.uint8))
    path.write_bytes((tmp_path / "x.gz").read_bytes())
    np.testing.assert_array_equal(read_idx(path), np.arange(5))


def test_truncated_names_file(tmp_path):
    path = write_idx(tmp_path / "t-idx3-ubyte", np.zeros((4, 5, 5), np.uint8))
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataError, match="truncated") as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_truncated_gzip_names_file(tmp_path):
    path = tmp_path / "t-idx3-ubyte.gz"
    path.write_bytes(
        gzip.compress(b"\0\0\x08\x03" + b"\0\0\0\x04" * 3 + b"\1" * 60)[:-12]
    )
    with pytest.raises(DataError) as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_bad_magic_names_file(tmp_path):
    path = tmp_path / "junk-idx3-ubyte"
    path.write_bytes(b"hello world")
    with pytest.raises(DataError, match="not an IDX file") as err:
        read_idx(path)
    assert str(path) in str(err.value)

"""The restricted unpickler of ganzoo.importers: what it reads and what it refuses."""

import io
import operator
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

from ganzoo.errors import GanzooError
from ganzoo.importers import safe_pickle
from ganzoo.importers.safe_pickle import (
    ImporterError,
    PersistentObject,
    UnsafePickleError,
)


class _RunsCode:
    """Unpickling this with pickle.load would run ``touch <marker>``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_that_runs_code_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"G": [1, 2, _RunsCode(marker)]}))
    with pytest.raises(UnsafePickleError) as info:
        safe_pickle.load(path)
    assert isinstance(info.value, GanzooError)
    message = str(info.value)
    assert "\n" not in message
    assert f"{os.system.__module__}.system" in message  # names what the file tried to load
    assert not marker.exists()


@pytest.mark.parametrize("target", [("builtins", "eval"), ("builtins", "exec"),
                                    ("subprocess", "Popen"), ("torch", "load"),
                                    ("numpy", "load"), ("torch_utils.persistence", "_src_to_module")])
def test_every_name_outside_the_allow_list_is_refused(target):
    module, name = target
    data = f"c{module}\n{name}\n(S'x'\ntR.".encode()  # protocol 0: module.name('x')
    with pytest.raises(UnsafePickleError, match=f"{module}.{name}"):
        safe_pickle.load(io.BytesIO(data))


def test_persistent_source_is_kept_as_text_and_never_executed(tmp_path):
    marker = tmp_path / "ran"
    meta = {"type": "class", "version": 6, "class_name": "Generator",
            "module_src": f"import os\nos.system('touch {marker}')\nclass Generator: pass\n",
            "state": {"_modules": OrderedDict(), "z_dim": 4}}

    class _Persistent:  # pickles as operator.itemgetter(meta), renamed below
        def __reduce__(self):
            return (operator.itemgetter, (meta,))

    data = pickle.dumps(_Persistent(), protocol=2).replace(
        b"coperator\nitemgetter\n", b"ctorch_utils.persistence\n_reconstruct_persistent_obj\n")
    assert b"torch_utils.persistence" in data
    obj = safe_pickle.load(io.BytesIO(data))
    assert isinstance(obj, PersistentObject)
    assert obj.class_name == "Generator" and obj.attr("z_dim") == 4
    assert "os.system" in obj.module_src
    assert not marker.exists()


@pytest.mark.parametrize("core", ["numpy.core", "numpy._core"])
def test_numpy_1_and_numpy_2_names(core):
    value = {"gain": np.float64(1.5), "array": np.arange(6, dtype="float32").reshape(2, 3)}
    data = pickle.dumps(value, protocol=2)
    for old in (b"numpy._core.multiarray", b"numpy.core.multiarray"):
        data = data.replace(old, core.encode() + b".multiarray")
    out = safe_pickle.load(io.BytesIO(data))
    assert out["gain"] == 1.5 and out["gain"].dtype == np.float64
    np.testing.assert_array_equal(out["array"], value["array"])


def test_object_arrays_are_refused():
    data = pickle.dumps(np.array([1, "a"], dtype=object), protocol=2)
    with pytest.raises(UnsafePickleError, match="object dtype"):
        safe_pickle.load(io.BytesIO(data))


def test_torch_tensors_and_parameters_become_numpy_arrays():
    torch = pytest.importorskip("torch")
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    value = OrderedDict(
        weight=torch.nn.Parameter(base.clone(), requires_grad=True),
        view=base[1:, ::2],  # an offset, strided view of a larger storage
        half=base.half()[:2],
        index=torch.tensor([3, 1], dtype=torch.int64),
        scalar=torch.tensor(2.5),
    )
    out = safe_pickle.load(io.BytesIO(pickle.dumps(value)))
    assert list(out) == list(value)
    for key, tensor in value.items():
        expected = tensor.detach().numpy()
        assert out[key].dtype == expected.dtype and out[key].shape == expected.shape
        np.testing.assert_array_equal(out[key], expected)


def test_a_tensor_past_its_storage_is_refused():
    torch = pytest.importorskip("torch")
    data = pickle.dumps(torch.zeros(4))
    # The outer pickle's size tuple (4,) -> (400,): BININT1 4 then TUPLE1.
    bad = data.replace(b"K\x04\x85", b"M\x90\x01\x85", 1)
    assert bad != data
    with pytest.raises(UnsafePickleError, match="reaches element"):
        safe_pickle.load(io.BytesIO(bad))


def test_not_a_pickle_is_one_error_line(tmp_path):
    path = tmp_path / "x.pkl"
    path.write_bytes(b"PK\x03\x04 not a pickle at all")
    with pytest.raises(ImporterError) as info:
        safe_pickle.load(path)
    assert "\n" not in str(info.value)

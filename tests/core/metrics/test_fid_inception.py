"""fid_inception without PyTorch: the .pth reader, conversion, resizing, errors.

The .pth files here are written opcode by opcode, as ``torch.save`` lays them
out, so the reader is tested where PyTorch is not installed; the comparison
with pytorch-fid itself is in test_fid_inception_reference.py.
"""

import pickle
import struct
import urllib.error
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from ganzoo.errors import MetricsError, WeightsNotFoundError
from ganzoo.importers.pth_reader import (
    LEGACY_MAGIC,
    UnsafePickleError,
    read_state_dict,
)
from ganzoo.metrics import evaluate, get_feature_extractor
from ganzoo.metrics.extractors.fid_inception import (
    FIDInceptionExtractor,
    build_fid_inception,
)
from ganzoo.metrics.extractors.fid_inception_weights import (
    convert_state_dict,
    load_weights,
    resolve_weights_file,
)
from ganzoo.metrics.extractors.preprocessing import (
    bilinear_matrix,
    fid_resize_name,
    resize_pil_bicubic,
    resize_torch_bilinear,
)

# --- a torch.save writer in raw pickle opcodes (protocol 2) -------------------


def _str(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def _int(i):
    return b"J" + struct.pack("<i", i)


def _tuple(items):
    return b"(" + b"".join(items) + b"t"


def _global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _state_pickle(
    entries, rebuild=("torch._utils", "_rebuild_tensor_v2"), legacy=False
):
    """An OrderedDict of float tensors; entries: (name, key, numel, offset, size, stride)."""
    empty_hooks = _global("collections", "OrderedDict") + b")R"
    out = b"\x80\x02" + empty_hooks + b"("
    for name, key, numel, offset, size, stride in entries:
        pid = [
            _str("storage"),
            _global("torch", "FloatStorage"),
            _str(key),
            _str("cpu"),
        ]
        pid += [_int(numel)] + ([b"N"] if legacy else [])
        args = [_tuple(pid) + b"Q", _int(offset), _tuple([_int(s) for s in size])]
        args += [_tuple([_int(s) for s in stride]), b"\x89", empty_hooks]
        out += _str(name) + _global(*rebuild) + _tuple(args) + b"R"
    return out + b"u."


def write_pth(path, arrays, fmt="zip", **pickle_kw):
    """Save ``name -> float32 array`` as torch.save would (one storage per array)."""
    entries, blobs = [], {}
    for i, (name, arr) in enumerate(arrays.items()):
        arr = np.ascontiguousarray(arr, np.float32)
        strides = [s // 4 for s in arr.strides]
        entries.append((name, str(i), arr.size, 0, arr.shape, strides))
        blobs[str(i)] = arr.tobytes()
    if fmt == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("archive/data.pkl", _state_pickle(entries, **pickle_kw))
            z.writestr("archive/byteorder", "little")
            for key, blob in blobs.items():
                z.writestr(f"archive/data/{key}", blob)
    else:
        with open(path, "wb") as f:
            for header in (LEGACY_MAGIC, 1001, {"little_endian": True}):
                f.write(pickle.dumps(header, protocol=2))
            f.write(_state_pickle(entries, legacy=True, **pickle_kw))
            f.write(pickle.dumps(list(blobs), protocol=2))
            for blob in blobs.values():
                f.write(struct.pack("<q", len(blob) // 4) + blob)
    return path


@pytest.mark.parametrize("fmt", ["zip", "legacy"])
def test_reads_state_dict_without_torch(tmp_path, fmt):
    arrays = {
        "a.weight": np.arange(24, dtype=np.float32).reshape(2, 3, 4),
        "b": np.ones(5),
    }
    out = read_state_dict(write_pth(tmp_path / "w.pth", arrays, fmt))
    assert sorted(out) == ["a.weight", "b"]
    np.testing.assert_array_equal(out["a.weight"], arrays["a.weight"])
    np.testing.assert_array_equal(out["b"], np.ones(5, np.float32))


def test_reads_strided_views(tmp_path):
    # A transposed view: storage 0..5, shape (3, 2), strides (1, 3).
    blob = np.arange(6, dtype=np.float32).tobytes()
    with zipfile.ZipFile(tmp_path / "t.pth", "w") as z:
        z.writestr("t/data.pkl", _state_pickle([("t", "0", 6, 0, (3, 2), (1, 3))]))
        z.writestr("t/data/0", blob)
    out = read_state_dict(tmp_path / "t.pth")["t"]
    np.testing.assert_array_equal(out, np.arange(6, dtype=np.float32).reshape(2, 3).T)


def test_refuses_arbitrary_globals(tmp_path):
    marker = tmp_path / "ran"
    # data.pkl = os.system("touch <marker>"): a plain pickle would run it.
    evil = b"\x80\x02" + _global("os", "system") + _tuple([_str(f"touch {marker}")])
    with zipfile.ZipFile(tmp_path / "evil.pth", "w") as z:
        z.writestr("evil/data.pkl", evil + b"R.")
    with pytest.raises(UnsafePickleError, match="os.system"):
        read_state_dict(tmp_path / "evil.pth")
    assert not marker.exists()
    # ... also as the rebuild function of a tensor
    path = write_pth(
        tmp_path / "evil2.pth", {"x": np.ones(2)}, rebuild=("os", "system")
    )
    with pytest.raises(UnsafePickleError, match="os.system"):
        read_state_dict(path)


def test_refuses_tensors_outside_their_storage(tmp_path):
    with zipfile.ZipFile(tmp_path / "oob.pth", "w") as z:
        z.writestr("o/data.pkl", _state_pickle([("t", "0", 4, 2, (4,), (1,))]))
        z.writestr("o/data/0", np.zeros(4, np.float32).tobytes())
    with pytest.raises(UnsafePickleError, match="reaches element"):
        read_state_dict(tmp_path / "oob.pth")


def test_not_a_pth_file(tmp_path):
    (tmp_path / "x.pth").write_bytes(b"not a checkpoint")
    with pytest.raises(MetricsError, match="not a PyTorch .pth file"):
        read_state_dict(tmp_path / "x.pth")


# --- the network and the conversion -------------------------------------------


@pytest.fixture(scope="module")
def net():
    return build_fid_inception()


def torch_layout_state(model, seed=0):
    """A random state dict with pytorch-fid's names and PyTorch's layouts."""
    rng = np.random.default_rng(seed)
    state = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            h, w, i, o = layer.kernel.shape
            state[f"{layer.name}.weight"] = rng.normal(size=(o, i, h, w)).astype("f4")
        elif isinstance(layer, keras.layers.BatchNormalization):
            for n in ("weight", "bias", "running_mean", "running_var"):
                state[f"{layer.name}.{n}"] = rng.uniform(0.5, 1.5, layer.gamma.shape)
            state[f"{layer.name}.num_batches_tracked"] = np.array(3)
        elif isinstance(layer, keras.layers.Dense):
            state["fc.weight"] = rng.normal(size=(1008, 2048)).astype("f4")
            state["fc.bias"] = rng.normal(size=(1008,)).astype("f4")
    return state


def test_network_is_the_fid_variant(net):
    assert [tuple(o.shape) for o in net.outputs] == [(None, 2048), (None, 1008)]
    for block in ("Mixed_5b", "Mixed_6b", "Mixed_7b"):
        assert isinstance(
            net.get_layer(f"{block}.avg_pool"), keras.layers.AveragePooling2D
        )
    assert isinstance(net.get_layer("Mixed_7c.max_pool"), keras.layers.MaxPooling2D)
    # Average pooling that counts only real pixels keeps a constant image constant,
    # also at the borders (counting the padding would give 4/9 in the corners).
    pool = net.get_layer("Mixed_5b.avg_pool")
    out = keras.ops.convert_to_numpy(pool(np.ones((1, 5, 5, 2), "float32")))
    np.testing.assert_allclose(out, 1.0, rtol=1e-6)


def test_conversion_maps_names_and_layouts(net):
    state = torch_layout_state(net)
    convert_state_dict(net, state)
    kernel = keras.ops.convert_to_numpy(
        net.get_layer("Mixed_6b.branch7x7_2.conv").kernel
    )
    np.testing.assert_array_equal(
        kernel, state["Mixed_6b.branch7x7_2.conv.weight"].transpose(2, 3, 1, 0)
    )
    bn = net.get_layer("Conv2d_1a_3x3.bn")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(bn.moving_variance),
        state["Conv2d_1a_3x3.bn.running_var"],
    )
    fc = keras.ops.convert_to_numpy(net.get_layer("fc").kernel)
    np.testing.assert_array_equal(fc, state["fc.weight"].T)


def test_conversion_rejects_other_state_dicts(net):
    state = torch_layout_state(net)
    missing = dict(state)
    del missing["Mixed_7c.branch_pool.conv.weight"]
    with pytest.raises(MetricsError, match="no 'Mixed_7c.branch_pool.conv.weight'"):
        convert_state_dict(net, missing)
    with pytest.raises(MetricsError, match="does not use .*AuxLogits"):
        convert_state_dict(net, {**state, "AuxLogits.fc.weight": np.ones(3)})


# --- weights files: checks, errors, download ----------------------------------


def test_sha256_is_checked_before_reading(tmp_path, net):
    path = write_pth(tmp_path / "other.pth", {"x": np.ones(2)})
    with pytest.raises(
        WeightsNotFoundError, match="not 6726825d.*expected_sha256=None"
    ):
        load_weights(net, path)


def test_missing_weights_say_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path))
    with pytest.raises(WeightsNotFoundError) as err:
        resolve_weights_file(None)
    msg = str(err.value)
    assert (
        str(tmp_path / "fid_inception" / "pt_inception-2015-12-05-6726825d.pth") in msg
    )
    assert "https://github.com/mseitzer/pytorch-fid/releases" in msg
    with pytest.raises(WeightsNotFoundError, match="'/nope.pth' does not exist"):
        resolve_weights_file("/nope.pth")


def test_download_offline_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path))

    def offline(*_a, **_k):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    with pytest.raises(WeightsNotFoundError, match="could not download .*put it at"):
        resolve_weights_file("download")
    assert not list((tmp_path / "fid_inception").iterdir())  # no partial file left


# --- resizing -------------------------------------------------------------------


def test_torch_bilinear_resize_by_hand():
    # align_corners=False: samples at (j + 0.5) * in/out - 0.5, clamped at 0.
    up = resize_torch_bilinear(np.array([0.0, 1.0], "f4").reshape(1, 1, 2, 1), (1, 4))
    np.testing.assert_allclose(up.ravel(), [0.0, 0.25, 0.75, 1.0], atol=1e-6)
    down = resize_torch_bilinear(np.array([0, 2, 4, 8], "f4").reshape(1, 4, 1, 1), (2, 1))
    np.testing.assert_allclose(down.ravel(), [1.0, 6.0], atol=1e-6)
    np.testing.assert_allclose(bilinear_matrix(28, 299).sum(axis=1), 1.0, atol=1e-6)


def test_pil_bicubic_resize_is_float_pil_bicubic_without_quantization():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (2, 9, 7, 3)).astype("f4")
    out = resize_pil_bicubic(images, (20, 16))
    assert out.shape == (2, 20, 16, 3) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 255  # bicubic overshoot clipped
    assert np.any(out != np.round(out))  # not re-quantized to integers
    channel = Image.fromarray(images[1, :, :, 2]).resize(
        (16, 20), Image.Resampling.BICUBIC
    )
    np.testing.assert_allclose(out[1, :, :, 2], np.clip(np.asarray(channel), 0, 255))


# --- the extractor ----------------------------------------------------------------


@pytest.fixture(scope="module")
def random_extractor():
    return FIDInceptionExtractor("random", resize="torch_bilinear", batch_size=2)


def test_grayscale_is_replicated_and_batches_are_chunked(random_extractor):
    ext = random_extractor
    rng = np.random.default_rng(1)
    gray = rng.integers(0, 256, (3, 28, 28, 1)).astype(np.uint8)
    before = ext.batches_seen
    feats, logits = ext.features_and_logits(gray)
    assert feats.shape == (3, 2048) and logits.shape == (3, 1008)
    assert ext.batches_seen - before == 2  # chunks of 2: 2 + 1 (padded)
    rgb = np.repeat(gray, 3, axis=-1)
    np.testing.assert_allclose(ext.features(rgb), feats, rtol=1e-5, atol=1e-5)
    # float [-1, 1] input is the same image as uint8 [0, 255]
    as_float = gray.astype("f4") / 127.5 - 1.0
    np.testing.assert_allclose(ext.features(as_float), feats, rtol=1e-4, atol=1e-4)


def test_unknown_resize_is_one_line():
    with pytest.raises(MetricsError, match="unknown FID resize 'bicubic'"):
        get_feature_extractor("fid_inception", weights="random", resize="bicubic")


def test_old_resize_names_still_accepted():
    # "clean"/"legacy" and preprocessing= were the names before they said what they do.
    assert fid_resize_name("clean") == "pil_bicubic"
    assert fid_resize_name("legacy") == "torch_bilinear"
    assert fid_resize_name("torch_bilinear") == "torch_bilinear"
    with (
        pytest.warns(DeprecationWarning, match="now called 'resize'"),
        pytest.raises(MetricsError, match="unknown FID resize 'bicubic'"),
    ):
        get_feature_extractor("fid_inception", weights="random", preprocessing="bicubic")


@pytest.mark.slow
def test_evaluate_records_resize_and_weights(random_extractor, tmp_path):
    rng = np.random.default_rng(2)
    real = rng.integers(0, 256, (4, 16, 16, 1)).astype(np.uint8)

    def sample_fn(n, start):
        return rng.uniform(-1, 1, (n, 16, 16, 1)).astype("f4")

    result = evaluate(
        sample_fn,
        real,
        ["fid"],
        random_extractor,
        num_samples=4,
        batch_size=2,
        reference_cache_dir=tmp_path,
        reference_key="tiny",
    )
    p = result["provenance"]
    assert p["extractor"] == "fid_inception" and p["resize_method"] == "torch_bilinear"
    assert p["weights_hash"] == random_extractor.weights_hash
    assert p["num_generated"] == 4 and p["reference_size"] == 4
    assert p["feature_dim"] == 2048 and result["fid"] > 0 and "fid" in result["floor"]

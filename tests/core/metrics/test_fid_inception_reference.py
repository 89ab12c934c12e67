"""fid_inception against the reference implementations (pytorch-fid, clean-fid).

Needs the ``fid-reference`` extra (PyTorch, torchvision, pytorch-fid,
clean-fid: ``pip install -e ".[test,fid-reference]"``); skips without it.
pytorch-fid's own FID Inception is built with random weights (its download
patched out), saved as a ``.pth`` exactly as the standard file is, and
converted by ganzoo. The PyTorch side runs in a separate process
(fid_reference_worker.py: torchvision's CUDA build crashes when imported
after TensorFlow); this process compares its outputs with ganzoo's.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from ganzoo.errors import WeightsNotFoundError
from ganzoo.importers.pth_reader import read_state_dict
from ganzoo.metrics.extractors.fid_inception import FIDInceptionExtractor
from ganzoo.metrics.extractors.preprocessing import (
    resize_pil_bicubic,
    resize_torch_bilinear,
)
from ganzoo.metrics.scores.frechet import fid_from_features

MISSING = [
    m
    for m in ("torch", "torchvision", "pytorch_fid", "cleanfid")
    if importlib.util.find_spec(m) is None
]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{', '.join(MISSING)} not installed: pip install -e '.[fid-reference]'",
)
WORKER = Path(__file__).with_name("fid_reference_worker.py")
RTOL = 1e-4


def _synthetic_features(n=400, d=128):
    """ReLU-like features with full-rank covariances (n > d), two distributions."""
    rng = np.random.default_rng(3)
    mix = rng.normal(size=(d, d)) / np.sqrt(d)
    a = np.maximum(rng.normal(size=(n, d)) @ mix, 0) * 40
    b = np.maximum(rng.normal(0.2, 1.1, size=(n, d)) @ mix, 0) * 40
    return a, b


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The worker's folder: inputs, the random-weight .pth files, its outputs."""
    folder = tmp_path_factory.mktemp("fid_reference")
    rng = np.random.default_rng(0)
    syn_a, syn_b = _synthetic_features()
    inputs = dict(
        rgb=rng.integers(0, 256, (3, 32, 32, 3)).astype(np.uint8),
        gray=rng.integers(0, 256, (3, 28, 28, 1)).astype(np.uint8),
        large=rng.integers(0, 256, (1, 320, 400, 3)).astype(np.uint8),
        synthetic_a=syn_a,
        synthetic_b=syn_b,
    )
    np.savez(folder / "inputs.npz", **inputs)
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [sys.executable, str(WORKER), str(folder)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return folder, inputs, dict(np.load(folder / "outputs.npz"))


@pytest.fixture(scope="module")
def extractors(reference, tmp_path_factory):
    """ganzoo's extractors (legacy, clean) from the worker's .pth, converted once."""
    folder = reference[0]
    cache = tmp_path_factory.mktemp("cache")
    with mock.patch.dict(os.environ, {"GANZOO_CACHE_DIR": str(cache)}):
        legacy = FIDInceptionExtractor(
            folder / "random_fid.pth", resize="torch_bilinear", expected_sha256=None
        )
        clean = FIDInceptionExtractor(
            folder / "random_fid.pth", resize="pil_bicubic", expected_sha256=None
        )
    assert legacy.weights_cache_hit is False and clean.weights_cache_hit is True
    assert (cache / "fid_inception" / f"{legacy.weights_hash}.weights.h5").is_file()
    return legacy, clean


def assert_relative(ours, ref, rtol=RTOL):
    scale = np.abs(ref).max()
    assert scale > 0 and np.isfinite(ours).all()
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * scale)


def test_reader_matches_torch_in_both_formats(reference):
    folder = reference[0]
    with np.load(folder / "state.npz") as z:
        state = dict(z)
    for name in ("random_fid.pth", "random_fid_legacy.pth"):
        ours = read_state_dict(folder / name)
        assert sorted(ours) == sorted(state)
        for key, value in state.items():
            np.testing.assert_array_equal(ours[key], value, err_msg=key)


def test_legacy_features_match_pytorch_fid(reference, extractors):
    """(a) the same 2048-d features as pytorch-fid (its bilinear resize inside)."""
    _, inputs, out = reference
    legacy, _ = extractors
    assert_relative(legacy.features(inputs["rgb"]), out["legacy_rgb"])
    assert_relative(legacy.features(inputs["gray"]), out["legacy_gray"])


def test_clean_features_match_pytorch_fid_after_clean_fid_resize(reference, extractors):
    """(a) with clean-fid's resize in front of pytorch-fid's network."""
    _, inputs, out = reference
    _, clean = extractors
    assert_relative(clean.features(inputs["rgb"]), out["clean_rgb"])


def test_frechet_distance_matches_pytorch_fid(reference):
    """(b) the same Fréchet distance as pytorch-fid on the same features."""
    _, _, out = reference
    for pair in ("fd_small", "fd_synthetic"):
        ours = fid_from_features(out[f"{pair}_a"], out[f"{pair}_b"])
        ref = float(out[pair])
        assert ref > 0
        assert abs(ours - ref) <= 1e-6 * ref, (pair, ours, ref)


def test_clean_resize_equals_clean_fid(reference):
    """(c) ganzoo's ``clean`` resize is clean-fid's on the same images."""
    _, inputs, out = reference
    gray_rgb = np.repeat(inputs["gray"], 3, axis=-1)
    for images, ref in (
        (inputs["rgb"], out["clean_rgb_resized"]),
        (gray_rgb, out["clean_gray_resized"]),
        (inputs["large"], out["clean_large_resized"]),
    ):
        ours = resize_pil_bicubic(images.astype(np.float32), (299, 299))
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-4)


def test_legacy_resize_equals_torch_interpolate(reference):
    _, inputs, out = reference
    for name in ("rgb", "large"):  # up- and downsampling
        ours = resize_torch_bilinear(inputs[name].astype(np.float32), (299, 299))
        np.testing.assert_allclose(ours, out[f"torch_bilinear_{name}"], atol=0.01)


def test_the_real_files_hash_is_required_by_default(reference):
    with pytest.raises(WeightsNotFoundError, match="not 6726825d"):
        FIDInceptionExtractor(reference[0] / "random_fid.pth")

"""evaluate(): streaming, the reference cache, provenance and errors."""

import numpy as np
import pytest
from conftest import make_shapes

from ganzoo.metrics import (
    ExtractorCapabilityError,
    MetricsError,
    evaluate,
)
from ganzoo.metrics.extractors.preprocessing import to_float255


class CountingExtractor:
    """A NumPy extractor (4x4 mean-pooled pixels) that counts its calls."""

    name = "counting"
    weights_hash = "fixed"
    resize_method = "none"
    input_size = (8, 8)
    feature_dim = 16

    def __init__(self, has_logits=True):
        self.has_logits = has_logits
        self.calls = 0

    def features(self, images):
        self.calls += 1
        x = to_float255(images)[..., 0] / 255.0
        pooled = x.reshape(len(x), 4, 2, 4, 2).mean(axis=(2, 4))
        return pooled.reshape(len(x), 16)

    def logits(self, images):
        return 10 * self.features(images)[:, [0, 3, 12, 15]]


class Sampler:
    """A sample_fn over a fixed pool of images that records how it was called."""

    def __init__(self, images):
        self.images, self.calls = images, []

    def __call__(self, n, start):
        self.calls.append((n, start))
        return self.images[start : start + n]


@pytest.fixture
def real():
    return make_shapes(256, size=8, seed=0)[0]


def run(real, tmp_path, ext, **kw):
    fake = make_shapes(100, size=8, seed=1)[0]
    sampler = Sampler(fake)
    kw = dict(num_samples=100, batch_size=32, reference_cache_dir=tmp_path) | kw
    return evaluate(sampler, real, extractor=ext, **kw), sampler


def test_streams_in_batches_and_records_provenance(real, tmp_path):
    result, sampler = run(real, tmp_path, CountingExtractor(), reference_key="shapes")
    assert sampler.calls == [(32, 0), (32, 32), (32, 64), (4, 96)]
    for key in ("fid", "kid", "kid_std", "is", "is_std", "precision", "recall", "density",
                "coverage"):
        assert np.isfinite(result[key])
    assert set(result["floor"]) >= {"fid", "kid", "precision", "recall", "is_real", "density",
                                    "coverage"}
    prov = result["provenance"]
    assert prov["extractor"] == "counting" and prov["weights_hash"] == "fixed"
    assert prov["resize_method"] == "none" and prov["num_generated"] == 100
    assert prov["reference"] == "shapes:train" and prov["reference_size"] == 256
    assert prov["seed"] == 0 and prov["pr_k"] == 3 and prov["dc_k"] == 5
    assert "random halves" in prov["floor_method"]
    assert prov["floor_sizes"]["fid"] == [128, 128]
    # Random halves of one distribution: the floor's PR is high (the test
    # data alternates classes, which alternating halves would split apart).
    assert result["floor"]["precision"] > 0.5 and result["floor"]["recall"] > 0.5


def test_reference_statistics_are_cached(real, tmp_path):
    ext = CountingExtractor()
    first, _ = run(real, tmp_path, ext, reference_key="shapes")
    calls_after_first = ext.calls
    assert not first["provenance"]["reference_cache_hit"]
    second, sampler = run(real, tmp_path, ext, reference_key="shapes")
    # Only the generated batches went through the extractor the second time.
    assert ext.calls - calls_after_first == len(sampler.calls) * 2  # features + logits
    assert second["provenance"]["reference_cache_hit"]
    assert second["fid"] == first["fid"] and second["floor"] == first["floor"]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1 and files[0].startswith("shapes_train_counting_")
    assert files[0].endswith(".npz")


def test_a_reference_cached_under_an_old_resize_name_still_serves(real, tmp_path):
    # fid_inception's "clean" is now "pil_bicubic": caches keyed "clean" are still hits.
    old = CountingExtractor()
    old.resize_method = "clean"
    first, _ = run(real, tmp_path, old, reference_key="shapes")
    renamed = CountingExtractor()
    renamed.resize_method = "pil_bicubic"
    second, sampler = run(real, tmp_path, renamed, reference_key="shapes")
    assert second["provenance"]["reference_cache_hit"]
    assert renamed.calls == len(sampler.calls) * 2  # only the generated batches
    assert second["fid"] == first["fid"]
    assert second["provenance"]["resize_method"] == "pil_bicubic"


def test_unnamed_arrays_are_cached_by_content(real, tmp_path):
    ext = CountingExtractor()
    run(real, tmp_path, ext)
    before = ext.calls
    run(real, tmp_path, ext)
    assert ext.calls - before == 8
    run(real[::-1].copy(), tmp_path, ext)  # other content, other entry
    assert len(list(tmp_path.iterdir())) == 2


def test_iterable_reference_and_second_split_floor(real, tmp_path):
    labels = np.zeros(len(real))
    batches = [(real[i : i + 50], labels[i : i + 50]) for i in range(0, 256, 50)]
    test_split = make_shapes(120, size=8, seed=2)[0]
    result, _ = run(
        real,
        tmp_path,
        CountingExtractor(),
        metrics=("fid", "pr"),
        real_floor=test_split,
    )
    assert result["provenance"]["floor_method"].startswith("split 'test'")
    assert set(result) == {"fid", "precision", "recall", "floor", "provenance"}
    result, _ = run(iter(batches), tmp_path, CountingExtractor(), metrics=("fid",))
    assert result["provenance"]["reference_size"] == 256
    assert result["provenance"]["reference_cache_file"] is None  # unnamed iterable


def test_clear_errors(real, tmp_path):
    with pytest.raises(MetricsError, match="unknown metric 'fd'"):
        run(real, tmp_path, CountingExtractor(), metrics=("fd",))
    with pytest.raises(ExtractorCapabilityError, match="IS needs class logits"):
        run(real, tmp_path, CountingExtractor(has_logits=False))
    with pytest.raises(MetricsError, match="must return exactly 32"):
        evaluate(
            lambda n, start: real[:5],
            real,
            extractor=CountingExtractor(),
            num_samples=64,
            batch_size=32,
            reference_cache_dir=tmp_path,
        )

"""Intra-class FID: the mean of per-class Fréchet distances, and its errors."""

import numpy as np
import pytest

from ganzoo.metrics import (
    MetricsError,
    fid_from_features,
    intra_fid,
    intra_fid_from_features,
)


def _labelled(n, dim, classes, shift, seed):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    return rng.normal(size=(n, dim)) + shift * labels[:, None], labels


def test_intra_fid_is_the_mean_of_the_per_class_fids():
    real, real_labels = _labelled(90, 3, 3, shift=2.0, seed=0)
    fake, fake_labels = _labelled(60, 3, 3, shift=2.5, seed=1)
    mean, per_class = intra_fid_from_features(real, real_labels, fake, fake_labels)
    direct = [fid_from_features(real[real_labels == c], fake[fake_labels == c]) for c in range(3)]
    assert per_class == pytest.approx(dict(enumerate(direct)), rel=1e-12)
    assert mean == pytest.approx(np.mean(direct), rel=1e-12)
    # Not the FID of the pooled sets: the classes' means are compared apart.
    assert mean != pytest.approx(fid_from_features(real, fake), rel=1e-3)


class Flatten:
    """A NumPy extractor: the flattened images (float), no network."""

    name, weights_hash, resize_method, input_size = "flatten", "none", "none", (2, 2)

    def features(self, images):
        return np.asarray(images, "float64").reshape(len(images), -1)


def test_evaluation_streams_classes_and_matches_the_direct_fids():
    rng = np.random.default_rng(2)
    real_labels = np.arange(60) % 3
    real = rng.normal(size=(60, 2, 2, 1)) + real_labels[:, None, None, None]
    pools = {c: rng.normal(size=(10, 2, 2, 1)) + 1.5 * c for c in range(3)}
    calls = []

    def class_sample_fn(label, n, start):
        calls.append((label, n, start))
        return pools[label][start : start + n]

    result = intra_fid(class_sample_fn, real, real_labels, Flatten(), num_classes=3,
                       samples_per_class=10, batch_size=4)
    assert calls[:3] == [(0, 4, 0), (0, 4, 4), (0, 2, 8)] and len(calls) == 9
    flat = real.reshape(60, 4)
    direct = [fid_from_features(flat[real_labels == c], pools[c].reshape(10, 4))
              for c in range(3)]
    assert [result["intra_fid_per_class"][str(c)] for c in range(3)] == pytest.approx(direct)
    assert result["intra_fid"] == pytest.approx(np.mean(direct))
    prov = result["provenance"]
    assert prov["extractor"] == "flatten" and prov["intra_fid_samples_per_class"] == 10
    assert prov["intra_fid_real_per_class"] == [20, 20, 20]


def test_errors_are_one_line():
    real, labels = np.zeros((6, 2, 2, 1)), np.array([0, 0, 0, 1, 1, 1])
    sample = lambda label, n, start: np.zeros((n, 2, 2, 1))  # noqa: E731
    with pytest.raises(MetricsError, match="class 2 has 0 real images"):
        intra_fid(sample, real, labels, Flatten(), num_classes=3, samples_per_class=4)
    with pytest.raises(MetricsError, match="class-conditional"):
        intra_fid(sample, real, labels, Flatten(), num_classes=0, samples_per_class=4)
    with pytest.raises(MetricsError, match="class 1 has 1 real and 2 generated"):
        intra_fid_from_features(np.zeros((3, 2)), [0, 0, 1], np.zeros((4, 2)), [0, 0, 1, 1])


class Unconditional:
    num_classes = 0


class Conditional:
    num_classes = 3


def test_evaluate_gan_refuses_intra_fid_for_unconditional_models_and_unlabelled_data(tmp_path):
    from ganzoo.metrics import evaluate_gan

    path = tmp_path / "unlabelled.npz"
    np.savez(path, images=np.zeros((8, 4, 4, 1), "uint8"))
    run_config = {"dataset": str(path), "config": {"image_size": 4, "channels": 1}}
    with pytest.raises(MetricsError, match="needs a class-conditional model; this one is "
                                           "unconditional"):
        evaluate_gan(Unconditional(), run_config, metrics=("fid", "intra_fid"))
    with pytest.raises(MetricsError, match=r"intra_fid needs class labels, and dataset .*"
                                           r"unlabelled.npz has none"):
        evaluate_gan(Conditional(), run_config, metrics=("intra_fid",))

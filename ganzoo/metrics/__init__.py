"""GAN metrics: FID, KID, IS, precision/recall, density/coverage, intra-class FID,
feature extractors, evaluation.

Three parts, each a subpackage: ``scores`` (the metric functions, on NumPy
feature arrays, float64, any backend), ``extractors`` (networks registered
under a name: ``inception_v3``, ``fid_inception``, ``classifier``, or a
plugin's) and ``evaluation`` (:func:`evaluate` streams generated images
through an extractor and returns scores with their provenance;
:func:`evaluate_gan` does it for a trained GAN against its run's dataset).
The names below are the public API; import them from ``ganzoo.metrics``.
"""

from __future__ import annotations

from ganzoo.errors import (
    ExtractorCapabilityError,
    MetricsError,
    WeightsNotFoundError,
)
from ganzoo.metrics.evaluation.evaluator import METRICS, evaluate
from ganzoo.metrics.evaluation.gan_evaluation import GAN_METRICS, evaluate_gan
from ganzoo.metrics.evaluation.intra_fid import intra_fid
from ganzoo.metrics.evaluation.reference import ReferenceStats, default_cache_dir
from ganzoo.metrics.extractors.classifier import (
    ClassifierExtractor,
    build_classifier,
    class_accuracy,
    fit_classifier,
    load_classifier,
    save_classifier,
)
from ganzoo.metrics.extractors.extractor_registry import (
    builtin_feature_extractors,
    get_feature_extractor,
)
from ganzoo.metrics.extractors.feature_extractor import (
    FeatureExtractor,
    KerasFeatureExtractor,
    file_sha256,
)
from ganzoo.metrics.extractors.fid_inception import FIDInceptionExtractor
from ganzoo.metrics.extractors.inception import InceptionV3Extractor
from ganzoo.metrics.scores.density_coverage import density_coverage
from ganzoo.metrics.scores.frechet import (
    fid_from_features,
    frechet_distance,
    intra_fid_from_features,
)
from ganzoo.metrics.scores.inception_score import inception_score
from ganzoo.metrics.scores.kid import kernel_inception_distance
from ganzoo.metrics.scores.precision_recall import precision_recall
from ganzoo.metrics.scores.statistics import RunningStatistics, feature_statistics

__all__ = [
    "GAN_METRICS",
    "METRICS",
    "ClassifierExtractor",
    "ExtractorCapabilityError",
    "FIDInceptionExtractor",
    "FeatureExtractor",
    "InceptionV3Extractor",
    "KerasFeatureExtractor",
    "MetricsError",
    "ReferenceStats",
    "RunningStatistics",
    "WeightsNotFoundError",
    "build_classifier",
    "builtin_feature_extractors",
    "class_accuracy",
    "default_cache_dir",
    "density_coverage",
    "evaluate",
    "evaluate_gan",
    "feature_statistics",
    "fid_from_features",
    "file_sha256",
    "fit_classifier",
    "frechet_distance",
    "get_feature_extractor",
    "inception_score",
    "intra_fid",
    "intra_fid_from_features",
    "kernel_inception_distance",
    "load_classifier",
    "precision_recall",
    "save_classifier",
]

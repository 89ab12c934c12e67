"""The FID Inception's weights: find the ``.pth``, check it, convert once, cache.

The standard file is pytorch-fid's ``pt_inception-2015-12-05-6726825d.pth``
(torch-fidelity ships the same bytes as
``weights-inception-2015-12-05-6726825d.pth``); ``6726825d`` is the start of
its SHA-256, checked before use. The file is read without PyTorch
(:mod:`ganzoo.importers.pth_reader`), converted to Keras' layout (conv
kernels ``OIHW -> HWIO``, the dense kernel transposed) and cached as
``$GANZOO_CACHE_DIR/fid_inception/<sha256>.weights.h5`` (default cache root
``~/.cache/ganzoo``), so later runs skip the conversion.
"""

from __future__ import annotations

import os
import tempfile
import urllib.request
from pathlib import Path

import keras
import numpy as np

from ganzoo.errors import MetricsError, WeightsNotFoundError
from ganzoo.importers.pth_reader import read_state_dict
from ganzoo.metrics.extractors.feature_extractor import cache_dir, file_sha256

FID_WEIGHTS_URL = (
    "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
    "pt_inception-2015-12-05-6726825d.pth"
)
FID_WEIGHTS_FILE = "pt_inception-2015-12-05-6726825d.pth"
EXPECTED_SHA256 = "6726825d"  # prefix of the standard file's SHA-256
IGNORED_KEYS = ("num_batches_tracked",)  # batch-norm bookkeeping, not weights


def default_weights_path() -> Path:
    """Where ``weights=None``/``"download"`` look for (and download) the file."""
    return cache_dir("fid_inception") / FID_WEIGHTS_FILE


def _missing_message(where: Path) -> str:
    return (
        f"fid_inception needs pytorch-fid's {FID_WEIGHTS_FILE}; download it from "
        f"{FID_WEIGHTS_URL} and put it at {where} or pass --weights PATH"
    )


def download_weights(dest: Path | None = None, timeout: float = 60.0) -> Path:
    """Fetch the standard file from pytorch-fid's release (once) and return its path."""
    dest = Path(dest or default_weights_path())
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(FID_WEIGHTS_URL, timeout=timeout) as response,
        ):
            while chunk := response.read(1 << 20):
                out.write(chunk)
        check_sha256(Path(tmp), EXPECTED_SHA256, source=FID_WEIGHTS_URL)
        os.replace(tmp, dest)
    except OSError as e:  # URLError, timeouts, no network
        raise WeightsNotFoundError(
            f"could not download the FID Inception weights ({e.__class__.__name__}: "
            f"{e}); " + _missing_message(dest)
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


def resolve_weights_file(weights: str | os.PathLike[str] | None) -> Path:
    """The ``.pth`` to use: a path, ``"download"``, or ``None`` (the cached download)."""
    if weights == "download":
        return download_weights()
    if weights is None:
        path = default_weights_path()
        if not path.is_file():
            raise WeightsNotFoundError(_missing_message(path))
        return path
    path = Path(weights).expanduser()
    if not path.is_file():
        raise WeightsNotFoundError(
            f"fid_inception weights file '{path}' does not exist; "
            + _missing_message(default_weights_path())
        )
    return path


def check_sha256(path: Path, expected: str | None, source: object = None) -> str:
    """The file's SHA-256; an error when it does not start with ``expected``."""
    digest = file_sha256(path)
    if expected is not None and not digest.startswith(expected.lower()):
        raise WeightsNotFoundError(
            f"{source or path} has SHA-256 {digest[:12]}..., not {expected}... "
            f"({FID_WEIGHTS_FILE}); pass that file, or expected_sha256=None "
            "(CLI: --any-weights) for other weights (their FIDs are not "
            "comparable with papers)"
        )
    return digest


def convert_state_dict(model: keras.Model, state: dict[str, np.ndarray]) -> None:
    """Assign a pytorch-fid state dict to the FID Inception's layers, by name."""
    state = {k: v for k, v in state.items() if not k.endswith(IGNORED_KEYS)}
    used: set[str] = set()

    def take(key: str) -> np.ndarray:
        if key not in state:
            raise MetricsError(
                f"the .pth file has no '{key}'; is it pytorch-fid's FID Inception?"
            )
        used.add(key)
        return state[key]

    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            values = [take(f"{layer.name}.weight").transpose(2, 3, 1, 0)]
        elif isinstance(layer, keras.layers.BatchNormalization):
            names = ("weight", "bias", "running_mean", "running_var")
            values = [take(f"{layer.name}.{n}") for n in names]
        elif isinstance(layer, keras.layers.Dense):
            values = [take(f"{layer.name}.weight").T, take(f"{layer.name}.bias")]
        else:
            continue
        shapes = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != shapes:
            raise MetricsError(
                f"the .pth weights of layer '{layer.name}' have shapes "
                f"{[v.shape for v in values]}, the network needs {shapes}"
            )
        layer.set_weights([v.astype(np.float32) for v in values])
    extra = sorted(set(state) - used)
    if extra:
        raise MetricsError(
            f"the .pth file has {len(extra)} weights the FID Inception does not "
            f"use (e.g. '{extra[0]}'); is it pytorch-fid's FID Inception?"
        )


def load_weights(
    model: keras.Model, path: Path, expected_sha256: str | None = EXPECTED_SHA256
) -> tuple[str, bool]:
    """Load ``path`` into ``model`` via the converted cache; ``(sha256, cache hit)``."""
    digest = check_sha256(path, expected_sha256)
    cached = cache_dir("fid_inception") / f"{digest}.weights.h5"
    if cached.is_file():
        model.load_weights(cached)
        return digest, True
    convert_state_dict(model, read_state_dict(path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Keras wants the .weights.h5 suffix; write a temp file, then rename atomically.
    tmp = cached.with_name(f"{digest}.{os.getpid()}.tmp.weights.h5")
    try:
        model.save_weights(tmp)
        os.replace(tmp, cached)
    finally:
        tmp.unlink(missing_ok=True)
    return digest, False

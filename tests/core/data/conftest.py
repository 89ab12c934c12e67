"""Fixtures: tiny synthetic datasets in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_helpers import random_images, save_png


@pytest.fixture
def class_folder(tmp_path: Path) -> Path:
    """Two classes ('cat' -> 0, 'dog' -> 1) of 3 RGB 8×8 PNGs each."""
    root = tmp_path / "pets"
    images = random_images(6, 8, 3)
    for i, image in enumerate(images):
        save_png(root / ("cat" if i < 3 else "dog") / f"{i}.png", image)
    return root


@pytest.fixture
def flat_folder(tmp_path: Path) -> Path:
    """Five grayscale 8×8 PNGs, unlabelled."""
    root = tmp_path / "flat"
    for i, image in enumerate(random_images(5, 8, 1)):
        save_png(root / f"{i}.png", image)
    return root


@pytest.fixture
def no_system_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Hide ~/.keras and /usr/share/datasets; GANZOO_DATA_DIR points at an empty tmp dir."""
    import ganzoo.data.resolve as resolve

    data_dir = tmp_path / "ganzoo_data"
    data_dir.mkdir()
    monkeypatch.setenv("GANZOO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(resolve, "SYSTEM_DATA_DIR", tmp_path / "no_system_datasets")
    return data_dir

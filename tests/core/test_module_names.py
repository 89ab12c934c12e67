"""One name per idea: no module name repeated across ganzoo/'s folders, no singular/plural twins."""

from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "ganzoo"  # the source tree, not imported


def modules():
    return [p for p in ROOT.rglob("*.py") if p.name != "__init__.py" and "__pycache__" not in p.parts]


def test_no_module_name_in_two_folders():
    folders = defaultdict(list)
    for path in modules():
        folders[path.stem].append(str(path.parent.relative_to(ROOT.parent)))
    repeated = {name: where for name, where in folders.items() if len(where) > 1}
    assert not repeated, f"module names used in more than one folder: {repeated}"


def test_no_singular_plural_twins_in_a_folder():
    by_folder = defaultdict(set)
    for path in modules():
        by_folder[path.parent].add(path.stem)
    twins = [
        (str(folder.relative_to(ROOT.parent)), name)
        for folder, names in by_folder.items()
        for name in names
        if name + "s" in names
    ]
    assert not twins, f"near-identical module names (x.py beside xs.py): {twins}"

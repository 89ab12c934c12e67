"""Keras-private API is used only inside ganzoo/backends/.

When Keras changes its internals only that package should need changes, so
any other module of ganzoo/, plugins/ or cli/ that imports or references
``keras.src`` or one of the private attributes ganzoo needs fails here.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ROOT / "ganzoo" / "backends"
PRIVATE = re.compile(
    r"keras\.src|_flatten_layers|_is_graph_network|state_mapping|get_stateless_scope"
    r"|\._layers\b|\._tracker\b|_untrack"
)


def offending_lines():
    for folder in ("ganzoo", "plugins", "cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ALLOWED in path.parents or ".venv" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if PRIVATE.search(line):
                    yield f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_keras_private_api_only_in_backends():
    found = list(offending_lines())
    assert not found, "Keras-private API outside ganzoo/backends/:\n" + "\n".join(found)


def test_the_check_sees_a_private_reference():
    # The scan would catch an import of keras.src (guards against a regex
    # that matches nothing).
    assert PRIVATE.search("from keras.src.backend import x")
    assert PRIVATE.search("model._flatten_layers()")
    assert not PRIVATE.search("from keras import ops")

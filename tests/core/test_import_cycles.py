"""No import cycle among ganzoo's modules, counting imports inside functions.

Imports under ``if TYPE_CHECKING:`` are not run and do not count; ``from
ganzoo import backends`` counts as an import of ``ganzoo.backends``, not of
the (lazy) package ``__init__``.
"""

import ast
from pathlib import Path

import ganzoo

ROOT = Path(ganzoo.__file__).parent


def module_name(path: Path) -> str:
    parts = ("ganzoo", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text())
    skipped = {id(n) for node in ast.walk(tree)
               if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
               for n in ast.walk(node)}
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            submodules = {f"{base}.{a.name}" for a in node.names} & known
            found |= submodules if len(submodules) == len(node.names) else {base} | submodules
    return found & known


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_in_ganzoo():
    files = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph = {name: imports(path, set(files)) - {name} for name, path in files.items()}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_check_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None

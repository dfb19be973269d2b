"""The import graph of par_score follows the data flow: each package imports only from its own layer or the ones
below it, no module imports one that (directly or not) imports it back, and one module imports durable-rules."""

from __future__ import annotations

import ast
from pathlib import Path

import par_score

PACKAGE = Path(par_score.__file__).resolve().parent

# Lowest first. A module belongs to the layer of its top-level part: par_score.scoring.facts → "scoring".
LAYERS = [
    {"_version", "errors", "numbers", "vocabulary", "io"},  # plumbing and words every stage uses
    {"evidence"},  # what a unit submits: records, files, workbooks
    {"rules"},  # the language bands are written in
    {"scales"},  # one module per way of turning evidence into points
    {"catalogue"},  # the criteria tree, declared with those scales
    {"scoring", "testing"},  # evidence + catalogue → results; synthetic bundles for tests and benchmarks
    {"planning"},  # which changes of evidence raise the score, each checked by re-scoring
    {"audit"},  # trace, manifest, rerun, diff, appraisal
    {"outputs"},  # terminal, report, workbooks, ranking
    {"batch"},  # many bundles at once
    {"api", "__init__"},  # the public API
    {"web"},  # the workspace (a face over the API)
    {"cli", "__main__"},  # the command line
]
LAYER_OF = {part: level for level, parts in enumerate(LAYERS) for part in parts}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] if len(parts) > 1 else parts
    return ".".join(parts)


def _part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "par_score":
                found.update(f"par_score.{alias.name}" for alias in node.names)
            elif node.module.startswith("par_score."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("par_score"))
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_bundled" not in p.parts}
GRAPH = {
    name: {m for m in _imports(path) if m in MODULES or m.rsplit(".", 1)[0] in MODULES}
    for name, path in MODULES.items()
}


def _resolve(target: str) -> str:
    return target if target in MODULES else target.rsplit(".", 1)[0]


def test_every_module_belongs_to_a_layer():
    assert {_part(m) for m in MODULES} <= set(LAYER_OF)


def test_no_package_imports_from_a_higher_layer():
    upward = [
        f"{importer} → {imported}"
        for importer, targets in GRAPH.items()
        for imported in map(_resolve, targets)
        if LAYER_OF[_part(imported)] > LAYER_OF[_part(importer)]
    ]
    assert upward == []


def test_the_module_graph_has_no_cycle():
    edges = {m: {_resolve(t) for t in targets} - {m} for m, targets in GRAPH.items()}
    # A package's __init__ re-exports its modules; an edge into a package goes to its __init__, whose own imports
    # are the package's submodules: that is not a circle unless a submodule imports its package back.
    state: dict[str, int] = {}
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert cycles == []


def test_only_the_engine_adapter_imports_durable_rules():
    importers = sorted(
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "durable")
        or (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "durable" for a in node.names))
    )
    assert importers == ["par_score.scoring.engine"]

#!/usr/bin/env python3
"""The picture of the package's imports, by folder: which part uses which.

    python scripts/import_graph.py [--png docs/imports.png]

Prints every edge (part -> parts it imports, with the files) and, with --png, draws the graph
with Graphviz's `dot` (Debian package graphviz). `tests/test_layout.py` checks the same edges
against LAYERS: every import points down the list, so there is no cycle and no arrow back up.
Imports under `if TYPE_CHECKING:` are annotations only and are not edges.
"""
from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"

#: top to bottom: a part may import only the parts below it (and itself). The package's
#: `__init__` is the public face: it re-exports from below it.
LAYERS = [
    "__init__", "cli", "evaluate", "review", "run", "pipeline", "stages", "qa", "translate", "memory", "io",
    "text", "config", "registry", "models", "stage", "document", "errors", "languages",
]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skip


def edges() -> dict[tuple[str, str], set[str]]:
    """{(part, imported part): {files}} over every module of the package, lazy imports included."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in sorted(PACKAGE.rglob("*.py")):
        rel = f.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = module if rel.name == "__init__" else module.rsplit(".", 1)[0]
        tree = ast.parse(f.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for t in targets:
                if t.split(".")[0] == "pipeline" and _part(t) != _part(module):
                    out[(_part(module), _part(t))].add(str(f.relative_to(ROOT)))
    return out


def upward(found: dict[tuple[str, str], set[str]]) -> list[str]:
    """Edges that point up the layer list (or to a part missing from it)."""
    bad = []
    for (a, b), files in sorted(found.items()):
        if b == "__version__":
            continue
        if a not in LAYERS or b not in LAYERS or LAYERS.index(b) <= LAYERS.index(a):
            bad.append(f"{a} -> {b} ({', '.join(sorted(files))})")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--png", type=Path, help="draw the graph into this PNG (needs Graphviz's dot)")
    args = ap.parse_args()
    found = edges()
    for (a, b), files in sorted(found.items()):
        print(f"{a:>10} -> {b:<10} {', '.join(sorted(files))}")
    bad = upward(found)
    print("\n" + ("\n".join(f"UPWARD: {b}" for b in bad) if bad else "every import points down the layers"))
    if args.png:
        dot = ["digraph imports {", "rankdir=TB; node [shape=box, fontname=Helvetica];"]
        dot += [f'"{a}" -> "{b}";' for (a, b) in sorted(found) if b != "__version__"]
        for i, layer in enumerate(LAYERS):
            dot.append(f'"{layer}" [label="{layer}{"/" if (PACKAGE / layer).is_dir() else ".py"}"];')
        dot.append("}")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dot", "-Tpng", "-Gdpi=110", "-o", str(args.png)], input="\n".join(dot), text=True,
                       check=True)
        print(f"wrote {args.png}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

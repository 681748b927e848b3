"""The shape of the code: the packages import one another without cycles, no module grows
past what a reader takes in at once, every package is shipped, and `import kg` is light."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
MAX_LINES = 500
HEAVY = ("spacy", "rdflib", "networkx", "pyoxigraph")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(KG.rglob("*.py"))}


def imported(path: Path, known: set[str]) -> set[str]:
    """The kg modules a module imports, anywhere in it (functions and TYPE_CHECKING too)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known:  # `from kg.x import f` names the module kg.x
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> nx.DiGraph:
    """Module -> the modules it imports; importing kg.a.b runs kg.a first, so that counts too,
    but a module's own packages do not (they are always imported before it)."""
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        for target in imported(path, set(found)):
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                step = ".".join(parts[:depth])
                if step in found and step not in ancestors and step != name:
                    graph.add_edge(name, step)
    return graph


def test_architecture_has_no_import_cycles() -> None:
    graph = import_graph()
    assert graph.number_of_edges() > 50  # the walk found the imports
    assert graph.has_edge("kg.build.pipeline", "kg.store") and graph.has_edge("kg.cli.build", "kg.build")
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph))
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles[:10])


def test_architecture_layers_import_only_downstream() -> None:
    """The library never imports the command line, and stages never import later ones."""
    order = ["kg.model", "kg.ingest", "kg.extract", "kg.rdf", "kg.store", "kg.build", "kg.analyze", "kg.views"]
    graph = import_graph()

    def stage(name: str) -> int | None:
        return next((i for i, s in enumerate(order) if name == s or name.startswith(s + ".")), None)

    backwards = [(a, b) for a, b in graph.edges if None not in (stage(a), stage(b)) and stage(b) > stage(a)]
    assert not backwards, backwards
    into_cli = [(a, b) for a, b in graph.edges
                if b.startswith("kg.cli") and not a.startswith("kg.cli") and a != "kg.__main__"]
    assert not into_cli, into_cli


@pytest.mark.parametrize("path", sorted(KG.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_architecture_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    name = str(path.relative_to(ROOT))
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job"


def test_architecture_every_package_is_shipped() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {module_name(p.parent) for p in KG.rglob("__init__.py")}
    assert packages <= set(config["packages"]), packages - set(config["packages"])
    assert config["package-data"]["kg.views"] == ["static/*"]


def test_architecture_import_kg_and_the_help_load_nothing_heavy() -> None:
    probe = ("import sys, runpy\n"
             "import kg\n"
             "sys.argv = ['kg', '--help']\n"
             "try:\n    runpy.run_module('kg', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             f"print('heavy:', ','.join(m for m in {HEAVY!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert "Usage: kg" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "heavy:"


def test_architecture_import_kg_build_loads_no_spacy() -> None:
    probe = "import sys, kg.build, kg.api; print('spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_architecture_page_script_parses() -> None:
    done = subprocess.run(["node", "--check", str(KG / "views" / "static" / "page.js")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

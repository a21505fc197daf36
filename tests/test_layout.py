"""The source layout is the architecture: imports between stages point down the pipeline.

Each subpackage of ``generator/`` is a stage with a rank; a module may import from its own
stage, from a lower one, or from the shared top-level ``diagnostics``.  Nothing imports
``cli`` or ``preview`` except the stages above them.  Stages of the same rank (``ingest``
and ``annotations``) are independent of each other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# Lower ranks sit lower in the pipeline.  A module may import only ranks below its own
# (or its own stage).
RANKS: dict[str, int] = {
    "__init__": 0,
    "diagnostics": 0,
    "content": 1,
    "ingest": 2,
    "annotations": 2,
    "render": 3,
    "publish": 3,
    "cache": 4,
    "build": 5,
    "preview": 6,
    "cli": 7,
    "__main__": 8,
}


def stage_of(module: str) -> str:
    """``generator.render.pages`` -> ``render``; ``generator`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every ``generator`` import in ``path``, relative ones resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("generator"):
                found.append((node.lineno, target))
    return found


def violations(root: Path) -> list[str]:
    """Every import in the tree under ``root`` that points up the pipeline or sideways."""
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        source = stage_of(module_name(path, root))
        for line, target in imported_modules(path, root):
            stage = stage_of(target)
            if stage == source or (target == "generator" and source != "__init__"):
                continue
            if stage not in RANKS or source not in RANKS:
                bad.append(f"{path}:{line}: unknown stage {stage!r} or {source!r}")
            elif RANKS[stage] >= RANKS[source]:
                bad.append(f"{path}:{line}: {source} imports {target} ({stage} is not below it)")
    return bad


def test_every_stage_has_a_rank() -> None:
    stages = {p.stem if p.is_file() else p.name for p in GENERATOR.iterdir()}
    stages = {s for s in stages if not s.startswith((".", "_")) or s in RANKS}
    stages -= {"__pycache__", "layouts"}
    assert stages <= set(RANKS), sorted(stages - set(RANKS))


def test_imports_point_down_the_pipeline() -> None:
    assert violations(GENERATOR) == []


def test_a_back_pointing_import_is_caught(tmp_path: Path) -> None:
    tree = tmp_path / "generator"
    (tree / "content").mkdir(parents=True)
    (tree / "render").mkdir()
    (tree / "content" / "__init__.py").write_text("from generator.render import Site\n")
    (tree / "render" / "__init__.py").write_text("from generator.content import Article\n")
    (tree / "render" / "pages.py").write_text("from ..cli import main\n")
    assert violations(tree) == [
        f"{tree}/content/__init__.py:1: content imports generator.render (render is not below it)",
        f"{tree}/render/pages.py:1: render imports generator.cli (cli is not below it)",
    ]


@pytest.mark.parametrize(
    "package", ["content", "ingest", "annotations", "render", "publish", "cache"]
)
def test_stages_above_use_only_the_exported_names(package: str) -> None:
    """Another stage imports ``generator.<package>``, never one of its private modules."""
    offenders = []
    for path in sorted(GENERATOR.rglob("*.py")):
        source = stage_of(module_name(path, GENERATOR))
        if source == package:
            continue
        for line, target in imported_modules(path, GENERATOR):
            if target.startswith(f"generator.{package}."):
                offenders.append(f"{path.relative_to(GENERATOR)}:{line}: {target}")
    assert offenders == []


def test_the_top_level_is_small_and_modules_are_short() -> None:
    top = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert len(top) <= 6, top
    long = [
        f"{p.relative_to(GENERATOR)}: {n}"
        for p in GENERATOR.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 400
    ]
    assert long == []


def test_the_command_line_loads_only_what_a_build_needs() -> None:
    """Every command pays for what ``digest`` imports at start: the extractors (trafilatura,
    lxml, charset detection) and the preview server load only for the commands that use
    them, so ``digest build`` and ``digest --version`` start fast.  The ingest package
    still offers its extractors by name (loaded on first use)."""
    heavy = ["trafilatura", "lxml", "charset_normalizer", "livereload", "generator.preview"]
    code = (
        "import sys, generator.cli, generator.build;"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules));"
        "from generator.ingest import extract_path, fetch_url;"
        "print(callable(extract_path) and callable(fetch_url))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=GENERATOR.parent,
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"]

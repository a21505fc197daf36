"""Comparing two folders file by file, with a readable diff on mismatch."""

from __future__ import annotations

import difflib
import filecmp
import shutil
from pathlib import Path


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def describe_difference(expected: Path, actual: Path) -> str:
    """An empty string when the trees are identical, else what differs."""
    want, got = files(expected), files(actual)
    lines = [f"missing: {name}" for name in sorted(want.keys() - got.keys())]
    lines += [f"unexpected: {name}" for name in sorted(got.keys() - want.keys())]
    for name in sorted(want.keys() & got.keys()):
        if want[name] != got[name]:
            diff = difflib.unified_diff(
                want[name].decode("utf-8", "replace").splitlines(),
                got[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            lines.append("\n".join(list(diff)[:60]))
    return "\n".join(lines)


def replace_tree(source: Path, target: Path) -> None:
    """Make ``target`` an exact copy of ``source``."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    assert not filecmp.dircmp(source, target).diff_files

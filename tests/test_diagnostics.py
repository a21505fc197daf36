"""One tiny broken site per diagnostic: the exact message, exit 1, no output written.

Each folder under ``tests/sites/invalid`` is a site with one kind of mistake and
an ``expected.txt`` holding exactly what ``digest build`` prints on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import INVALID

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_broken_site_reports_exact_diagnostics(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_golden: bool,
) -> None:
    site = INVALID / case
    monkeypatch.chdir(site)
    output = tmp_path / "output"
    code = main(["build", "--site", ".", "--output", str(output)])
    stderr = capsys.readouterr().err
    expected = site / "expected.txt"
    if update_golden:
        expected.write_text(stderr, encoding="utf-8")
    assert code == 1
    assert stderr == expected.read_text(encoding="utf-8")
    assert not output.exists()


def test_every_case_has_its_expectation() -> None:
    assert CASES
    missing = [case for case in CASES if not (INVALID / case / "expected.txt").is_file()]
    assert missing == []

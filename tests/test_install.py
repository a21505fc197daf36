"""A built wheel, installed (not editable) into a fresh venv, gives a working ``digest``.

The wheel is built from this checkout with hatchling (the build backend, a test
dependency) and installed without reaching the internet: the fresh venv sees the
dependencies already installed for the tests through a ``.pth`` file, and only the wheel's
own files come from the wheel.  Runs in CI as in a fresh clone's ``make test``.
"""

from __future__ import annotations

import importlib.util
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from generator import DISTRIBUTION, __version__
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None,
    reason="hatchling (a test dependency: pip install -e '.[test]') builds the wheel",
)


def _run(*command: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel of this checkout installed; its ``bin`` folder."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--no-index", "--quiet", "--wheel-dir", wheels, REPO,
    )  # fmt: skip
    (wheel,) = wheels.glob("*.whl")
    assert wheel.name.startswith(DISTRIBUTION.replace("-", "_") + f"-{__version__}-")
    fresh = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", fresh)
    python = fresh / "bin" / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"))
    # The dependencies come from the test environment; none of its .pth files (the editable
    # install of this checkout among them) is read, since only a venv's own are.
    ours = {sysconfig.get_path("purelib"), *site.getsitepackages()}
    Path(purelib.as_posix().strip(), "_test_dependencies.pth").write_text(
        "\n".join(sorted(ours)) + "\n", encoding="utf-8"
    )
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--quiet", wheel,
    )  # fmt: skip
    return fresh / "bin"


def test_the_installed_package_is_the_wheel_not_the_checkout(venv: Path) -> None:
    # Run outside the checkout, whose folder Python would otherwise put first on sys.path.
    code = "import generator; print(generator.__file__)"
    where = _run(venv / "python", "-c", code, cwd=venv.parent).strip()
    assert Path(where).is_relative_to(venv.parent), where
    layouts = Path(where).parent / "layouts"
    assert (layouts / "article.html").is_file()
    assert (layouts / "static" / "style.css").is_file()
    assert (layouts / "static" / "search.js").is_file()


def test_digest_version(venv: Path) -> None:
    assert _run(venv / "digest", "--version").strip() == f"digest {__version__}"
    shown = _run(venv / "python", "-m", "generator", "--version", cwd=venv.parent)
    assert shown.strip() == f"digest {__version__}"


def test_the_installed_digest_starts_and_builds_a_site(venv: Path, tmp_path: Path) -> None:
    _run(venv / "digest", "new", "site", "news", cwd=tmp_path)
    site = tmp_path / "news"
    _run(venv / "digest", "build", cwd=site)
    _run(venv / "digest", "check", "--strict", cwd=site)
    output = site / "output"
    assert (output / "static" / "style.css").is_file()
    assert (output / "static" / "search.js").is_file()
    assert list((output / "pagefind").glob("0-*/pagefind.js"))  # the first part's
    assert "News" in (output / "index.html").read_text(encoding="utf-8")

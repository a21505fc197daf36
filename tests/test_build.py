"""Whole builds through the CLI: the example site, failures, summaries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO, SAMPLE
from tests.treediff import files

SEED_SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"
CHROME = ("Settings", "font-size", "share button", "Top 10 Stories", "go top", "CLOSE", "@")


def test_example_site_shows_the_seed_article(tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert main(["build", "--site", str(REPO), "--output", str(output)]) == 0
    page = (output / "articles" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert "<h1>Chinese envoy emphasizes AI cooperation following DeepSeek debate</h1>" in page
    assert "<dd>Kim Hyun-bin</dd>" in page
    assert re.search(r'<p class="kicker"[^>]*>(The )?Korea Times</p>', page)
    assert "Chinese Ambassador to Korea Dai Bing / Yonhap" not in page
    assert (
        '<p class="photo-absent"><span class="photo-label">Photo not reproduced:</span> '
        'Chinese Ambassador to Korea Dai Bing <span class="credit">/ Yonhap</span></p>'
    ) in page
    assert "<figure" not in page  # no empty frame where no image is shown
    body = page.split('<div class="body">')[1].split('<footer class="article-footer"')[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<aside.*?</aside>", "", body)).split())
    assert text.startswith("Chinese Ambassador to Korea Dai Bing emphasized")
    assert re.sub(r" \d+ ", " ", text).endswith("rapidly evolving AI sector.")
    for chrome in CHROME:
        assert chrome not in text
    home = (output / "index.html").read_text(encoding="utf-8")
    assert f'href="articles/{SEED_SLUG}/"' in home
    for listing in ("tags/deepseek/index.html", "topics/ai-policy/index.html"):
        text = (output / listing).read_text(encoding="utf-8")
        assert f'href="../../articles/{SEED_SLUG}/"' in text


def test_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--site", str(SAMPLE), "--output", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"Built 54 pages: 6 articles, 14 tags, 3 topics in \d+\.\d\d s\n", out), out


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    output = tmp_path / "output"
    assert main(["build", "--site", str(site), "--output", str(output)]) == 0
    before = files(output)
    article = site / "content" / "articles" / "tokyo-rail.md"
    article.write_text(article.read_text().replace("date: 2024-03-28", "date: 2024-03-"))
    assert main(["build", "--site", str(site), "--output", str(output)]) == 1
    assert files(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_template_error_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    output = tmp_path / "output"
    assert main(["build", "--site", str(site), "--output", str(output)]) == 0
    before = files(output)
    (site / "layouts").mkdir()
    (site / "layouts" / "list.html").write_text("{{ page.nope }}")
    assert main(["build", "--site", str(site), "--output", str(output)]) == 1
    assert files(output) == before


def test_site_layouts_override_bundled_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    (site / "layouts" / "static").mkdir(parents=True)
    (site / "layouts" / "404.html").write_text("custom {{ page.heading }}\n")
    (site / "layouts" / "static" / "style.css").write_text("body{}\n")
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "404.html").read_text() == "custom Page not found\n"
    assert (tmp_path / "o" / "static" / "style.css").read_text() == "body{}\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--no-such-flag"])
    assert exit_info.value.code == 2
    capsys.readouterr()


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--site",
            str(SAMPLE),
            "--output",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 54 pages")


def test_the_command_exits_with_its_code_and_all_it_printed(tmp_path: Path) -> None:
    """``digest`` ends without tearing the interpreter down (``cli.run``): the exit code
    and everything printed before must still come out, through a pipe too."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    (site / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "site.yaml:2:1: error[yaml-syntax]" in result.stderr
    assert result.stderr.endswith("1 error, 0 warnings\n")


@pytest.mark.parametrize("target", [".", "content", "content/articles", "..", "seeds"])
def test_build_refuses_to_replace_the_sites_own_files(
    tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "box" / "site"
    shutil.copytree(SAMPLE, site)
    before = files(tmp_path / "box")
    assert main(["build", "--site", str(site), "--output", str(site / target)]) == 1
    assert "error[bad-output]" in capsys.readouterr().err
    assert files(tmp_path / "box") == before


def test_build_refuses_a_folder_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("mine\n")
    assert main(["build", "--site", str(SAMPLE), "--output", str(docs)]) == 1
    err = capsys.readouterr().err
    assert "is not empty and was not made by digest; a build replaces it whole" in err
    assert (docs / "notes.txt").read_text() == "mine\n"
    assert main(["build", "--site", str(SAMPLE), "--output", str(tmp_path / "out")]) == 0
    assert main(["build", "--site", str(SAMPLE), "--output", str(tmp_path / "out")]) == 0


def test_a_profiled_build_still_writes_its_profile(tmp_path: Path) -> None:
    """``python -m cProfile -m generator build`` (how builds are profiled): the profiler
    writes its results at the normal exit, which the command then takes."""
    profile = tmp_path / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "generator"]
    command += ["build", "--site", str(SAMPLE), "--output", str(tmp_path / "o"), "--no-search"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert profile.stat().st_size > 0


@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("stdout", ["reader gone", "closed"])
def test_a_build_whose_output_nobody_reads_still_builds_and_succeeds(
    tmp_path: Path, unbuffered: str, stdout: str
) -> None:
    """``digest build | head -0`` (the reader has gone) and ``digest build >&-`` (no
    standard output at all): the build ends as usual, exit 0, no error and no traceback
    about the text that could not be shown; its pages and its cache are written."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache"))
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-search"]
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
    if stdout == "closed":
        command = ["sh", "-c", '"$@" >&-', "sh", *command]
        done = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True)
        code, err = done.returncode, done.stderr
    else:
        read, write = os.pipe()
        os.close(read)
        with subprocess.Popen(command, env=env, stdout=write, stderr=subprocess.PIPE) as proc:
            os.close(write)
            code, err = proc.wait(), proc.stderr.read().decode() if proc.stderr else ""
    assert code == 0, err
    assert "error:" not in err and "Traceback" not in err
    assert err.endswith(" warnings\n")  # the build's own account on standard error, in full
    assert (site / "output" / "index.html").is_file()
    assert any((site / ".digest-cache").rglob("*"))


def test_a_library_loaded_by_one_command_and_missing_is_named_not_a_traceback(
    tmp_path: Path,
) -> None:
    """The extractors are loaded only by the commands that use them: should one be missing
    or broken, that command says which package and how to repair the install."""
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "trafilatura.py").write_text("import a_package_nobody_has\n")
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache", "output"))
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>A headline</title></head><body><p>Text.</p></body>")
    command = [sys.executable, "-m", "generator", "ingest", str(page), "--site", str(site)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocked), str(REPO)])}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("error: the Python package 'a_package_nobody_has' ")
    assert done.stderr.endswith("pip install --force-reinstall digest-ssg\n")
    assert "Traceback" not in done.stderr


def test_a_template_error_naming_each_page_s_values_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistake whose message names a value of the page (its title) is still one line
    (it was one per page)."""
    site = _with_broken_layout(
        tmp_path, "article.html", "<h1>{{ page.title }}</h1>", "<h1>{{ {}[page.title] }}</h1>"
    )
    articles = len(list((site / "content" / "articles").glob("*.md")))
    assert articles > 2
    code = main(["build", "--site", str(site), "--no-cache", "--no-search", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("layouts/article.html:") == 1, err
    others = articles - 1
    assert f"and {others} other pages, {others} of them with another message)" in err
    assert "1 error," in err


def test_a_template_error_on_many_pages_is_reported_once(tmp_path: Path) -> None:
    """The same mistake found on many pages, by one or two workers, with any hash seed:
    one diagnostic naming the first page and how many others it broke, the same each time
    (it was one line per page: 692 for one mistake on 2,000 articles)."""
    site = _with_broken_layout(
        tmp_path, "list.html", "{{ card(item) }}", "{{ card(item) }}{{ item.nope }}"
    )
    shown = set()
    for seed, jobs in [("1", "1"), ("2", "1"), ("3", "2")]:
        command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
        command += ["--no-cache", "--no-search", "--jobs", jobs]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 1
        assert done.stderr.count("layouts/list.html:") == 1
        assert "'Card object' has no attribute 'nope' (rendering index.html and " in done.stderr
        assert "1 error," in done.stderr
        shown.add(done.stderr)
    assert len(shown) == 1
    assert re.search(r"\(rendering index\.html and (\d+) other pages\)", shown.pop())


def _with_broken_layout(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the sample site whose own ``layouts/NAME`` is the bundled one with ``old``
    replaced by ``new``."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache", "output"))
    (site / "layouts").mkdir()
    bundled = (REPO / "layouts" / name).read_text(encoding="utf-8")
    assert old in bundled
    (site / "layouts" / name).write_text(bundled.replace(old, new), encoding="utf-8")
    return site

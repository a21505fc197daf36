"""What readers see: clean links, the home list's order, photos not reproduced, the README."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import REPO, SAMPLE

HREF = re.compile(r'\b(?:href|src)="([^"#]*)')


def _internal_links(output: Path) -> dict[str, list[str]]:
    found = {}
    for page in sorted(output.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        links = [h for h in HREF.findall(text) if h and not re.match(r"[a-z]+:", h)]
        found[page.relative_to(output).as_posix()] = links
    return found


def _site(tmp_path: Path, extra: str = "") -> Path:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    if extra:
        with (site / "site.yaml").open("a", encoding="utf-8") as config:
            config.write(extra)
    return site


def test_links_readers_follow_carry_no_index_html(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert main(["build", "--site", str(site)]) == 0
    links = _internal_links(site / "output")
    assert links
    offending = {page: [h for h in hs if "index.html" in h] for page, hs in links.items()}
    assert not any(offending.values()), offending
    assert main(["check", "--site", str(site)]) == 0  # every clean link resolves


def test_links_files_keeps_index_html_for_reading_from_disk(tmp_path: Path) -> None:
    site = _site(tmp_path, "links: files\n")
    assert main(["build", "--site", str(site)]) == 0
    for page, hrefs in _internal_links(site / "output").items():
        for href in hrefs:
            # Every link to a page names its file, as a browser reading from disk needs.
            assert not href.endswith("/") and href != "", (page, href)
    assert main(["check", "--site", str(site)]) == 0


def test_an_unknown_link_style_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path, "links: pretty\n")
    assert main(["build", "--site", str(site)]) == 1
    assert "links" in capsys.readouterr().err


def test_the_home_list_is_ordered_by_the_date_it_shows(tmp_path: Path) -> None:
    site = _site(tmp_path)
    articles = site / "content" / "articles"
    # Added later to the digest, but published by its outlet long before the others.
    (articles / "late-addition.md").write_text(
        "---\ntitle: Old news, added last\ndate: 2030-01-01\npublished: 2001-01-01\n"
        "outlet: Wire\n---\n\nText.\n",
        encoding="utf-8",
    )
    assert main(["build", "--site", str(site)]) == 0
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<p class="meta">.*?<time datetime="([0-9-]+)"', home)
    assert len(shown) >= 2
    assert shown == sorted(shown, reverse=True)  # the first date of each card orders the list
    assert shown[0] == "2030-01-01"


def test_a_photo_that_is_not_reproduced_says_so(tmp_path: Path) -> None:
    assert main(["build", "--site", str(REPO), "--output", str(tmp_path / "o")]) == 0
    page = next((tmp_path / "o" / "articles").glob("*/index.html")).read_text("utf-8")
    assert "Photo not reproduced:" in page
    assert "<figure" not in page and "Photo: " not in page


def _readme_article_sample() -> dict[str, object]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `content/articles/<slug>.md`", 1)[1]
    block = section.split("```markdown\n", 1)[1].split("\n---\n", 1)[0]
    data = yaml.safe_load(block.removeprefix("---\n"))
    assert isinstance(data, dict)
    return data


def test_the_readme_sample_front_matter_is_the_example_article() -> None:
    sample = _readme_article_sample()
    (article,) = (REPO / "content" / "articles").glob("*.md")
    front = yaml.safe_load(article.read_text(encoding="utf-8").split("---\n")[1])
    assert sample == front

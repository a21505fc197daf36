"""Feeds, sitemap, robots.txt, CNAME and news metadata of the built sample site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from generator.build import build, load_site
from generator.cli.main import main
from generator.content import load_config
from generator.diagnostics import Diagnostics
from generator.render import export_routes
from generator.render.export import sitemaps
from tests.conftest import REPO, SAMPLE

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("publish") / "output"
    build(SAMPLE, output)
    return output


def test_site_feed_is_valid_atom_with_commentary_and_via_links(built: Path) -> None:
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Sample Digest"
    assert [e.title for e in feed.entries][:2] == [
        "Seoul hosts regional AI safety summit",
        "Chip exports rebound for a sixth month",
    ]
    cafe = next(e for e in feed.entries if e.title.startswith("Le café"))
    assert cafe.link == "https://example.org/sample/articles/cafe-culture-paris/"
    via = [link.href for link in cafe.links if link.rel == "via"]
    assert via == ["https://www.lemonde.example/culture/cafes"]
    assert [a.name for a in cafe.authors] == ["Amélie Durand", "José García", "Zoë Ørsted"]
    assert cafe.published.startswith("2024-04-17T00:00:00+02:00")
    html = cafe.content[0].value
    assert "<strong>Why it matters:</strong> A small business story" in html
    assert "Cafés are closing, but the <em>reasons</em>" in html
    assert "Paris has lost a tenth of its cafés" in html


@pytest.mark.parametrize("feed", ["tags/south-korea/feed.xml", "topics/economy/feed.xml"])
def test_tag_and_topic_feeds_are_valid(built: Path, feed: str) -> None:
    parsed = feedparser.parse((built / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries


def test_pages_link_their_feeds(built: Path) -> None:
    tag = (built / "tags" / "south-korea" / "index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" href="../../tags/south-korea/feed.xml"'
        in tag
    )
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in home


def test_excerpt_articles_publish_only_annotated_passages(built: Path) -> None:
    page = (built / "articles" / "seoul-ai-summit" / "index.html").read_text(encoding="utf-8")
    assert "Read the full article at The Korea Herald" in page
    assert "Officials from eleven countries" not in page  # unannotated text stays out
    assert "The delegations signed a short statement" in page
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title.startswith("Seoul hosts"))
    assert "Officials from eleven countries" not in entry.content[0].value


def test_sitemap_robots_and_no_cname_without_domain(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://example.org/sample/" in locations
    assert "https://example.org/sample/articles/tokyo-rail/" in locations
    assert not any(loc.endswith(("404.html", ".xml")) for loc in locations)
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/sample/sitemap.xml" in robots
    assert (built / ".nojekyll").exists()
    assert not (built / "CNAME").exists()


def test_cname_when_site_names_a_domain(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("domain: news.example.org\n")
    build(site, tmp_path / "out")
    assert (tmp_path / "out" / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"


def _meta(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, content in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page):
        found.setdefault(key, []).append(content)
    return found


def test_article_pages_carry_news_metadata(built: Path) -> None:
    page = (built / "articles" / "chip-exports" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/sample/articles/chip-exports/">' in page
    meta = _meta(page)
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["Chip exports rebound for a sixth month"]
    assert meta["article:published_time"] == ["2024-05-10T00:00:00+02:00"]
    assert meta["article:tag"] == [
        "semiconductors",
        "반도체",
        "trade",
        "South Korea",
        "Technology",
        "Economy",
    ]
    assert meta["twitter:card"] == ["summary"]
    block = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["url"] == "https://example.org/sample/articles/chip-exports/"
    assert data["keywords"] == meta["article:tag"]
    original = data["isBasedOn"]
    assert original["@type"] == "NewsArticle"
    assert original["url"] == "https://www.koreaherald.example/business/chips"
    assert original["publisher"] == {"@type": "Organization", "name": "The Korea Herald"}
    assert original["author"] == [{"@type": "Person", "name": "Kim Min-jun"}]
    assert original["datePublished"] == "2024-05-09T00:00:00+02:00"


def test_json_ld_cannot_close_its_script(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    article = site / "content" / "articles" / "tokyo-rail.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('title: "', 'title: "</script><script>alert(1)</script> '))
    build(site, tmp_path / "out")
    page = (tmp_path / "out" / "articles" / "tokyo-rail" / "index.html").read_text("utf-8")
    assert "<script>alert(1)" not in page
    block = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert block is not None
    assert json.loads(block.group(1))["headline"].startswith("</script><script>alert(1)")


def test_check_runs_the_link_check_over_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    assert main(["build", "--site", str(site)]) == 0
    assert main(["check", "--site", str(site)]) == 0
    broken = site / "output" / "tags" / "index.html"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('"../tags/japan/"', '"../tags/jpn/"'),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["check", "--site", str(site)]) == 1
    assert "output/tags/index.html" in capsys.readouterr().err


def test_check_reads_the_build_cache_writes_nothing_and_still_renders_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` after ``build`` reuses the pages the build wrote from the same inputs, but
    a layout changed since is rendered again (its mistake found), and neither the cache nor
    ``output/`` changes; a site never built gets no cache."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache", "output"))
    assert main(["check", "--site", str(site), "--strict"]) == 1  # the sample's warnings
    assert not (site / ".digest-cache").exists() and not (site / "output").exists()
    assert main(["build", "--site", str(site)]) == 0

    def state() -> dict[str, tuple[bytes, int]]:
        found = {}
        for folder in (site / ".digest-cache", site / "output"):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
        return found

    before = state()
    capsys.readouterr()
    assert main(["check", "--site", str(site)]) == 0
    (site / "layouts").mkdir(exist_ok=True)
    broken = (REPO / "layouts" / "list.html").read_text(encoding="utf-8")
    (site / "layouts" / "list.html").write_text(broken.replace("{{ card(item) }}", "{{ x.y }}"))
    assert main(["check", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "layouts/list.html:" in err and "error[template-error]: 'x' is undefined" in err
    assert state() == before


def test_export_routes_name_exactly_the_files_export_writes(tmp_path: Path) -> None:
    from generator.build import load_site
    from generator.content.config import load_config
    from generator.diagnostics import Diagnostics
    from generator.render import export

    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("domain: news.example.org\n")
    diags = Diagnostics()
    loaded = load_config(site, diags)
    assert loaded is not None
    built = load_site(loaded, diags)
    assert export.routes(built) == [item.route for item in export.files(built)]


def test_a_site_above_the_sitemap_limit_gets_a_sitemap_index() -> None:
    """The sitemaps.org protocol allows 50,000 URLs a file: a larger site's sitemap.xml is a
    sitemap index of files of at most that many (here a limit of 3 on the sample site)."""
    diags = Diagnostics()
    config = load_config(SAMPLE, diags)
    assert config is not None
    site = load_site(config, diags)
    whole = sitemaps(site)
    assert [route for route, _ in whole] == ["sitemap.xml"]
    every = _locations(ElementTree.fromstring(whole[0][1]), "url")
    split = sitemaps(site, limit=3)
    index = ElementTree.fromstring(split[0][1])
    assert split[0][0] == "sitemap.xml" and index.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    names = [f"sitemap-{n}.xml" for n in range(1, len(split))]
    assert [route for route, _ in split[1:]] == names
    assert _locations(index, "sitemap") == [f"https://example.org/sample/{n}" for n in names]
    parts = [_locations(ElementTree.fromstring(data), "url") for _, data in split[1:]]
    assert all(1 <= len(part) <= 3 for part in parts)
    assert [loc for part in parts for loc in part] == every
    assert [r for r in export_routes(site) if r.startswith("sitemap")] == ["sitemap.xml"]


def _locations(root: ElementTree.Element, kind: str) -> list[str]:
    return [loc.text or "" for loc in root.iterfind(f"{{{SITEMAP_NS}}}{kind}/{{{SITEMAP_NS}}}loc")]

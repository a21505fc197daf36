"""Page weight: HTML + CSS + JS bytes of every article page, uncompressed, images excluded.

    python benchmarks/page_weight.py [SITE] [--limit 61440]

Builds SITE (default: the example digest) into a temporary folder, then for
each article page adds the bytes of its HTML and of every stylesheet and
script it links to in the built site (the search page's Pagefind files are
not part of article pages).  Prints each page, the maximum and the median,
and exits 1 when a page weighs more than the limit (60 KB).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402

LIMIT = 60 * 1024


class Assets(HTMLParser):
    """The stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.found.append(str(values["href"]))
        elif tag == "script" and values.get("src"):
            self.found.append(str(values["src"]))


def weight(page: Path) -> tuple[int, int]:
    """(HTML bytes, CSS + JS bytes) of one built page."""
    html = page.read_bytes()
    parser = Assets()
    parser.feed(html.decode("utf-8"))
    assets = 0
    for href in dict.fromkeys(parser.found):
        target = (page.parent / PurePosixPath(href.split("#")[0].split("?")[0])).resolve()
        assets += target.stat().st_size if target.is_file() else 0
    return len(html), assets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO)
    parser.add_argument("--limit", type=int, default=LIMIT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        build(args.site, output)
        totals = []
        for page in sorted((output / "articles").glob("*/index.html")):
            html, assets = weight(page)
            totals.append(html + assets)
            name = page.parent.name
            print(f"{html + assets:8,d} B  (HTML {html:,d} + CSS/JS {assets:,d})  {name}")
    if not totals:
        print("no article pages")
        return 1
    largest, median = max(totals), statistics.median(totals)
    print(
        f"{len(totals)} article pages: max {largest:,d} B ({largest / 1024:.1f} KB), "
        f"median {median:,.0f} B ({median / 1024:.1f} KB), limit {args.limit / 1024:.0f} KB"
    )
    return 0 if largest <= args.limit else 1


if __name__ == "__main__":
    raise SystemExit(main())

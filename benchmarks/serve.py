"""Incremental rebuild benchmark: how long one edit takes to reach the served site.

    python benchmarks/serve.py --articles 10000 --edits 7

Builds a synthetic site (as benchmarks/build.py does) once with a serve
session, then edits one article body at a time and times the rebuild that
``digest serve`` runs for it.  Prints each edit and the median; the time until
a browser shows the edit adds the watcher's poll interval and debounce
(printed too) and the browser's reload.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import make_site

from generator.serve import POLL_SECONDS, QUIET_SECONDS
from generator.session import Session


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        make_site(site, args.articles)
        session = Session(site, site / "output")
        started = time.perf_counter()
        first = session.rebuild()
        print(f"first build: {first.pages} pages in {time.perf_counter() - started:.2f} s")
        times = []
        for number in range(args.edits):
            article = (
                site / "content" / "articles" / f"article-{number * 997 % args.articles:05d}.md"
            )
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("\n\n", f"\n\nEdit {number}. ", 2), encoding="utf-8")
            result = session.rebuild()
            times.append(result.seconds)
            print(
                f"edit {number + 1}: rebuilt {result.pages} pages in {result.seconds * 1000:.0f} ms"
            )
    median = statistics.median(times)
    watch = POLL_SECONDS + QUIET_SECONDS
    print(
        f"median rebuild after one edit: {median * 1000:.0f} ms on {args.articles} articles; "
        f"with the watcher's poll and debounce ({watch * 1000:.0f} ms at most): "
        f"{(median + watch) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

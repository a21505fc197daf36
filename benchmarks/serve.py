"""Live-preview benchmark: how long one edit takes to reach the served site.

    python benchmarks/serve.py --articles 10000 --edits 7

Generates a synthetic site (as benchmarks/build.py does), starts the real
``digest serve`` preview on 127.0.0.1 in a thread, then edits one article
body at a time and measures, from the moment the file is written, until the
preview has rebuilt and told the browsers to reload (watcher poll, debounce,
incremental rebuild).  A browser then fetches one page (a few ms on loopback).
Prints each edit and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import make_site

from generator.preview.server import Event, Preview
from generator.preview.session import Rebuilt


def _start(site: Path, events: list[Event]) -> Preview:
    preview = Preview(site, site / "output", events.append)
    ready = threading.Event()

    def serve() -> None:
        preview.listen("127.0.0.1", 0)
        ready.set()
        preview.run()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(600)
    return preview


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    events: list[Event] = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        make_site(site, args.articles)
        started = time.perf_counter()
        preview = _start(site, events)
        print(f"first build and start: {time.perf_counter() - started:.2f} s")
        total, rebuild = [], []
        for number in range(args.edits):
            time.sleep(0.5)
            seen = len(events)
            name = f"article-{number * 997 % args.articles:05d}.md"
            article = site / "content" / "articles" / name
            text = article.read_text(encoding="utf-8")
            text = text.replace("\n\n", f"\n\nEdit {number}. ", 2)
            written = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            while len(events) == seen:
                time.sleep(0.002)
            total.append(time.perf_counter() - written)
            result = events[-1]
            assert isinstance(result, Rebuilt), result
            rebuild.append(result.seconds)
            print(
                f"edit {number + 1}: rebuilt {result.pages} pages in "
                f"{result.seconds * 1000:.0f} ms; edit to reload signal {total[-1] * 1000:.0f} ms"
            )
        preview.stop()
    print(
        f"median on {args.articles} articles: rebuild {statistics.median(rebuild) * 1000:.0f} ms, "
        f"edit saved to browsers told to reload {statistics.median(total) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

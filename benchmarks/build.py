"""Cold-build benchmark: N synthetic articles, wall time, pages per second, peak memory.

    python benchmarks/build.py --articles 1000 --repeat 3

Articles are generated deterministically (~700 words, 2-5 tags from a pool
of ~200, 1-2 topics) into a temporary site; each run builds it from scratch
in a fresh process so the figures include start-up and peak memory is the
build's own.  Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the government said on monday that it would review rules for artificial intelligence "
    "markets rose after the central bank held rates steady while inflation eased slowly "
    "officials in seoul tokyo and paris met to discuss trade chips energy and climate policy "
    "analysts expect exports to recover as demand for memory used in data centres grows "
    "critics warned that the plan lacked detail and would burden small firms and households"
).split()
TOPICS = ("economy", "technology", "politics", "climate", "culture", "health")
OUTLETS = ("Reuters", "The Korea Times", "Le Monde", "NHK World", "Associated Press")


def make_site(root: Path, count: int, seed: int = 7) -> None:
    """Write a site with ``count`` synthetic articles under ``root``."""
    rng = random.Random(seed)
    tags = [f"tag {i:03d}" for i in range(200)]
    (root / "content" / "articles").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Bench\nbase_url: https://example.org/bench/\n")
    (root / "content" / "topics.yaml").write_text(
        "".join(f"- slug: {t}\n  title: {t.title()}\n  description: All {t}.\n" for t in TOPICS)
    )
    for index in range(count):
        (root / "content" / "articles" / f"article-{index:05d}.md").write_text(
            _article(rng, index, tags), encoding="utf-8"
        )


def _article(rng: random.Random, index: int, tags: list[str]) -> str:
    paragraphs = [" ".join(rng.choices(WORDS, k=70)).capitalize() + "." for _ in range(10)]
    day = 1 + index % 28
    month = 1 + (index // 28) % 12
    year = 2015 + index // (28 * 12)
    return (
        "---\n"
        f"title: Synthetic article number {index}\n"
        f"date: {year}-{month:02d}-{day:02d}\n"
        f"outlet: {rng.choice(OUTLETS)}\n"
        f"source_url: https://news.example/{index}\n"
        f"authors: [Reporter {index % 37}]\n"
        f"tags: [{', '.join(rng.sample(tags, rng.randint(2, 5)))}]\n"
        f"topics: [{', '.join(rng.sample(TOPICS, rng.randint(1, 2)))}]\n"
        "---\n\n" + "\n\n".join(paragraphs) + "\n"
    )


def run_once(site: Path, output: Path) -> tuple[float, int, float, float]:
    """Build once in a fresh process; return (seconds, pages, peak MiB, search index MiB)."""
    code = (
        "import sys, resource; from pathlib import Path; from generator.build import build; "
        "r = build(Path(sys.argv[1]), Path(sys.argv[2])); "
        "print(r.pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, str(site), str(output)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    pages, peak_kib, index_kib = (int(x) for x in result.stdout.split())
    return seconds, pages, peak_kib / 1024, index_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        make_site(site, args.articles)
        runs = []
        for number in range(1, args.repeat + 1):
            seconds, pages, peak, index = run_once(site, site / "output")
            runs.append((seconds, pages, peak))
            print(
                f"run {number}: {seconds:.2f} s, {pages} pages, {pages / seconds:.0f} pages/s, "
                f"peak {peak:.0f} MiB (Pagefind indexer: {index:.0f} MiB)"
            )
    wall = statistics.median(r[0] for r in runs)
    pages = runs[0][1]
    print(
        f"median of {args.repeat}: {args.articles} articles, {pages} pages in {wall:.2f} s "
        f"({pages / wall:.0f} pages/s), peak memory {statistics.median(r[2] for r in runs):.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

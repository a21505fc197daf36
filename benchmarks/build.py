"""Build benchmark: cold, warm and one-edit builds, with and without search.

    python benchmarks/build.py --articles 1000 10000 --repeat 3
    python benchmarks/build.py --articles 100000 --repeat 1     # a large archive, when asked

Articles are generated deterministically (~700 words, 2-5 of ~200 tags, 1-2 topics) into a
temporary site; with ``--annotated S`` a share S of them (0 to 1) get commentary (an overall
note and three notes on words of the body). Each build runs ``digest build`` in a fresh
process; for every build the script reports wall time, CPU time (user + system) of the whole
process tree (the build, its worker processes and Pagefind, from
``getrusage(RUSAGE_CHILDREN)``) and the peak of the tree's summed proportional set size
(PSS, sampled every 20 ms with psutil: a page that forked workers share with the build
counts once in the sum, so it is the memory the tree really holds; resident size where the
system gives no PSS). The builds of one round are interleaved:

    cold      no cache (``--no-cache``), no earlier output
    first     with the cache, which it fills (what a first build costs)
    warm      cache and output of the last build, nothing changed
    one edit  one article's body edited, then built with the cache

each once with ``--no-search`` and once with the search index.  Prints every build and
the medians over the rounds, and the warm/cold ratio.  Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import psutil

WORDS = (
    "the government said on monday that it would review rules for artificial intelligence "
    "markets rose after the central bank held rates steady while inflation eased slowly "
    "officials in seoul tokyo and paris met to discuss trade chips energy and climate policy "
    "analysts expect exports to recover as demand for memory used in data centres grows "
    "critics warned that the plan lacked detail and would burden small firms and households"
).split()
TOPICS = ("economy", "technology", "politics", "climate", "culture", "health")
OUTLETS = ("Reuters", "The Korea Times", "Le Monde", "NHK World", "Associated Press")
KINDS = ("cold", "first", "warm", "one edit")


def make_site(root: Path, count: int, seed: int = 7, annotated: float = 0.0) -> None:
    """Write a site with ``count`` synthetic articles under ``root``; a share ``annotated``
    (0 to 1) of them get commentary: an overall note and three notes on words of their body
    (the articles are the same whatever the share)."""
    rng = random.Random(seed)
    picker = random.Random(seed + 1)
    tags = [f"tag {i:03d}" for i in range(200)]
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "commentary").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Bench\nbase_url: https://example.org/bench/\n")
    (root / "content" / "topics.yaml").write_text(
        "".join(f"- slug: {t}\n  title: {t.title()}\n  description: All {t}.\n" for t in TOPICS)
    )
    for index in range(count):
        text = _article(rng, index, tags)
        name = f"article-{index:05d}.md"
        (root / "content" / "articles" / name).write_text(text, encoding="utf-8")
        if picker.random() < annotated:
            (root / "content" / "commentary" / name).write_text(_commentary(text), "utf-8")


def _commentary(article: str) -> str:
    """Commentary on ``article``: three notes, each on eight words of one of its paragraphs."""
    paragraphs = article.split("---\n\n", 1)[1].split("\n\n")
    notes = []
    for number, paragraph in enumerate(paragraphs[1:8:3], start=1):
        quote = " ".join(paragraph.split()[20:28])
        notes.append(
            f"  - quote: {quote}\n    motivation: commenting\n"
            f"    note: Note {number} on these words.\n"
        )
    return (
        "---\nby: editor\ncreated: 2026-01-05T10:00:00+00:00\n"
        "why_it_matters: Why this article matters.\nnotes:\n"
        + "".join(notes)
        + "---\n\nThe editors' overall note on this article.\n"
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


@dataclass(frozen=True, slots=True)
class Run:
    """One measured command: wall and CPU seconds, peak MiB of its process tree."""

    wall: float
    cpu: float
    peak: float


def measure(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` to its end; raise CalledProcessError when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = psutil.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process))
        time.sleep(0.02)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        error = process.stderr.read() if process.stderr else ""
        raise subprocess.CalledProcessError(process.returncode, command, stderr=error)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, peak / 2**20)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        with contextlib.suppress(psutil.Error):  # it ended meanwhile
            total += _proportional(member)
    return total


def _proportional(member: psutil.Process) -> int:
    """The PSS of ``member`` (Linux), else its resident size."""
    try:
        return int(member.memory_full_info().pss)
    except (AttributeError, psutil.AccessDenied):
        return int(member.memory_info().rss)


def digest_command(site: Path, output: Path, search: bool, cache: bool) -> list[str]:
    """``digest build`` of ``site`` into ``output`` in a fresh interpreter."""
    command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    command += ["--output", str(output)]
    return command + ([] if search else ["--no-search"]) + ([] if cache else ["--no-cache"])


def edit_one(site: Path, round_number: int) -> None:
    """Change one word in the body of one article (a different one each round)."""
    files = sorted((site / "content" / "articles").glob("*.md"))
    path = files[(round_number * 7919) % len(files)]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("markets", f"markets{round_number}", 1), encoding="utf-8")


def one_round(site: Path, round_number: int, kinds: tuple[str, ...] = KINDS) -> dict[str, Run]:
    """The cold, first, warm and one-edit builds (or only ``kinds``), without and with
    search."""
    found: dict[str, Run] = {}
    for search in (False, True):
        label = "search" if search else "no search"
        output = site.parent / "output"
        for kind in kinds:
            if kind in ("cold", "first"):
                shutil.rmtree(output, ignore_errors=True)
                shutil.rmtree(output.parent / ".output-spare", ignore_errors=True)  # kept site
                shutil.rmtree(site / ".digest-cache", ignore_errors=True)
            if kind == "one edit":
                edit_one(site, round_number * 2 + search)
            command = digest_command(site, output, search, cache=kind != "cold")
            found[f"{kind}, {label}"] = measure(command)
    return found


def report(articles: int, runs: list[dict[str, Run]]) -> None:
    """Print the medians of every kind of build and the warm/cold ratios."""
    by_kind: dict[str, list[Run]] = defaultdict(list)
    for found in runs:
        for kind, run in found.items():
            by_kind[kind].append(run)
    medians: dict[str, float] = {}
    print(f"\n{articles} articles, medians of {len(runs)} rounds:")
    print(f"  {'build':<22} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
    for kind, measured in by_kind.items():
        wall = statistics.median(r.wall for r in measured)
        cpu = statistics.median(r.cpu for r in measured)
        peak = statistics.median(r.peak for r in measured)
        medians[kind] = wall
        print(f"  {kind:<22} {wall:8.2f} {cpu:8.2f} {peak:9.0f}")
    for label in ("no search", "search"):
        cold = medians.get(f"cold, {label}")
        for kind in ("warm", "one edit"):
            other = medians.get(f"{kind}, {label}")
            if cold is not None and other is not None:
                print(f"  {label}: {kind}/cold {other / cold:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--annotated",
        type=float,
        default=0.0,
        help="share of articles with commentary (0 to 1; three notes each)",
    )
    parser.add_argument(
        "--kinds", nargs="+", choices=KINDS, default=list(KINDS), help="builds to run (all)"
    )
    args = parser.parse_args()
    kinds = tuple(kind for kind in KINDS if kind in args.kinds)
    for articles in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            make_site(site, articles, annotated=args.annotated)
            runs = []
            for number in range(1, args.repeat + 1):
                found = one_round(site, number, kinds)
                runs.append(found)
                shown = ", ".join(f"{k} {r.wall:.2f} s" for k, r in found.items())
                print(f"{articles} articles, round {number}: {shown}", flush=True)
            report(articles, runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

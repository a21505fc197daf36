"""``digest ingest --update`` tells an editor's body edit from a changed seed (issue 12).

Ingest records ``seed.body_sha256``, the hash of the body as it wrote it.  A body
that still has that hash is replaced without ``--force`` (diff shown, old file
kept); an edited body, or an older article that records no body hash, is not.
Every test runs the CLI on a copy of the test site in a temp folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO, SAMPLE

SEED = REPO / "seeds" / "000_19df8d9e63fb33d5.txt"
SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"
OLD_WORDS = "DeepSeek has yet to issue a statement"
NEW_WORDS = "DeepSeek has not yet issued a statement"
EDITOR_KEYS = """\
# Checked against the print edition.
title: 12:30
outlet: "0x1F"
summary: '010'
tags: [AI,  diplomacy]   # flow list, odd spacing
"""
BODY_HASH = re.compile(r"body_sha256: ['\"]?([0-9a-f]{64})")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    (copy / "seeds").mkdir()
    shutil.copy(SEED, copy / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(copy)]) == 0
    return copy


def _article(site: Path) -> Path:
    return site / "content" / "articles" / f"{SLUG}.md"


def _with_editor_keys(text: str) -> str:
    """The ingested file with an editor's keys, comment and quoting in its front matter."""
    head, body = text.split("\n---\n", 1)
    lines = [line for line in head.split("\n")[1:] if not line.startswith(("title:", "outlet:"))]
    return "---\n" + EDITOR_KEYS + "\n".join(lines) + "\n---\n" + body


def _change_seed(site: Path) -> tuple[str, str]:
    """Reword the seed (as a re-saved page would); return its old and new sha256."""
    seed = site / "seeds" / "envoy.txt"
    old = seed.read_bytes()
    assert OLD_WORDS.encode() in old
    seed.write_bytes(old.replace(OLD_WORDS.encode(), NEW_WORDS.encode()))
    return hashlib.sha256(old).hexdigest(), hashlib.sha256(seed.read_bytes()).hexdigest()


def _body_hash(text: str) -> str:
    match = BODY_HASH.search(text)
    assert match is not None
    return match.group(1)


def _digest(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def _update(site: Path, *flags: str) -> int:
    return main(["ingest", "--update", SLUG, "--site", str(site), *flags])


def test_ingest_records_the_hash_of_the_body_it_wrote(site: Path) -> None:
    text = _article(site).read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    assert re.search(r"\n  sha256: [0-9a-f]{64}\n  body_sha256: [0-9a-f]{64}$", head)
    assert _body_hash(head) == _digest(body)
    assert main(["check", "--site", str(site)]) == 0


def test_an_unedited_body_is_replaced_without_force_keeping_every_editor_byte(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _article(site)
    edited = _with_editor_keys(article.read_text(encoding="utf-8"))
    article.write_text(edited, encoding="utf-8")
    old_sha, new_sha = _change_seed(site)
    capsys.readouterr()
    assert _update(site, "--dry-run") == 0
    assert f"+{NEW_WORDS}" in capsys.readouterr().out
    assert article.read_text(encoding="utf-8") == edited
    assert _update(site) == 0
    out = capsys.readouterr().out
    assert out.index(f"-{OLD_WORDS}") < out.index(f"+{NEW_WORDS}") < out.index(": updated")
    new_body = edited.split("\n---\n", 1)[1].replace(OLD_WORDS, NEW_WORDS)
    old_body_hash = _body_hash(edited)
    expected = (
        edited.replace(old_sha, new_sha)
        .replace(old_body_hash, _digest(new_body))
        .replace(OLD_WORDS, NEW_WORDS)
    )
    assert article.read_text(encoding="utf-8") == expected
    assert expected.startswith("---\n" + EDITOR_KEYS)
    [backup] = (site / ".digest-backup").iterdir()
    assert backup.read_text(encoding="utf-8") == edited
    assert f"kept as .digest-backup/{backup.name}" in out
    assert _update(site) == 0
    assert "already up to date" in capsys.readouterr().out


def test_an_edited_body_is_shown_and_kept_unless_forced(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _article(site)
    text = article.read_text(encoding="utf-8")
    edited = text.replace("DeepSeek has yet", "*DeepSeek* has yet").replace(
        "Chinese Ambassador to Korea Dai Bing emphasized", "Ambassador Dai Bing emphasized", 1
    )
    assert edited.count("*DeepSeek*") == 1 and "Ambassador Dai Bing emphasized" in edited
    article.write_text(edited, encoding="utf-8")
    _change_seed(site)
    capsys.readouterr()
    for flags in (["--dry-run"], []):
        assert _update(site, *flags) == (0 if flags else 1)
        captured = capsys.readouterr()
        assert "-*DeepSeek* has yet" in captured.out and f"+{NEW_WORDS}" in captured.out
        assert "--force" in captured.out + captured.err
        assert article.read_text(encoding="utf-8") == edited
    assert "edited since digest last wrote it" in captured.err
    assert not (site / ".digest-backup").exists()
    assert _update(site, "--force") == 0
    updated = article.read_text(encoding="utf-8")
    assert NEW_WORDS in updated and "*DeepSeek*" not in updated
    [backup] = (site / ".digest-backup").iterdir()
    assert backup.read_text(encoding="utf-8") == edited
    assert _body_hash(updated) == _digest(updated.split("\n---\n", 1)[1])


@pytest.mark.parametrize(
    ("legacy_seed", "added"),
    [
        ("seed:\n  path: seeds/envoy.txt  # saved by hand\n  sha256: {sha}\n", "block"),
        ("seed: {{path: seeds/envoy.txt, sha256: '{sha}'}}  # flow\n", "flow"),
    ],
)
def test_an_article_without_a_body_hash_is_not_replaced_without_force(
    site: Path, capsys: pytest.CaptureFixture[str], legacy_seed: str, added: str
) -> None:
    article = _article(site)
    text = article.read_text(encoding="utf-8")
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    head, body = text.split("\nseed:", 1)[0], text.split("\n---\n", 1)[1]
    legacy = head + "\n" + legacy_seed.format(sha=sha) + "---\n" + body
    article.write_text(legacy, encoding="utf-8")
    assert main(["check", "--site", str(site)]) == 0
    _, new_sha = _change_seed(site)
    capsys.readouterr()
    assert _update(site) == 1
    assert "records no hash of the body" in capsys.readouterr().err
    assert article.read_text(encoding="utf-8") == legacy
    assert _update(site, "--force") == 0
    updated = article.read_text(encoding="utf-8")
    new_body = body.replace(OLD_WORDS, NEW_WORDS)
    recorded = _digest(new_body)
    if added == "block":
        seed = legacy_seed.format(sha=new_sha) + f"  body_sha256: {recorded}\n"
    else:
        seed = legacy_seed.format(sha=new_sha).replace("'}", f"', body_sha256: {recorded}}}")
    assert updated == head + "\n" + seed + "---\n" + new_body
    assert main(["check", "--site", str(site)]) == 0
    # The article now records its body, so the next change of the seed needs no --force.
    seed_file = site / "seeds" / "envoy.txt"
    seed_file.write_bytes(seed_file.read_bytes().replace(b"not yet issued", b"yet to issue"))
    assert _update(site) == 0
    assert OLD_WORDS in article.read_text(encoding="utf-8")


def test_a_bom_and_crlf_article_is_updated_without_force_byte_for_byte(site: Path) -> None:
    article = _article(site)
    text = _with_editor_keys(article.read_text(encoding="utf-8"))
    text = re.sub(r"sha256: ([0-9a-f]{64})", r"sha256: '\1'", text)
    assert text.count("sha256: '") == 2
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    article.write_bytes(data)
    assert main(["build", "--site", str(site)]) == 0
    old_sha, new_sha = _change_seed(site)
    assert _update(site) == 0
    new_body = text.split("\n---\n", 1)[1].replace(OLD_WORDS, NEW_WORDS)
    expected = (
        text.replace(old_sha, new_sha)
        .replace(_body_hash(text), _digest(new_body))
        .replace(OLD_WORDS, NEW_WORDS)
    )
    assert article.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()
    assert main(["build", "--site", str(site)]) == 0


def test_a_body_hash_that_is_not_a_hash_is_refused_at_its_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _article(site)
    text = re.sub(r"body_sha256: [0-9a-f]{64}", "body_sha256: [a, b]", article.read_text("utf-8"))
    article.write_text(text, encoding="utf-8")
    line = text[: text.index("body_sha256")].count("\n") + 1
    _change_seed(site)
    capsys.readouterr()
    assert _update(site, "--force") == 1
    err = capsys.readouterr().err
    assert f"{SLUG}.md:{line}:1: error[ingest-bad-article]" in err and "Traceback" not in err
    assert article.read_text(encoding="utf-8") == text


def test_a_backup_folder_linked_outside_is_not_written_through(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (site / ".digest-backup").symlink_to(outside)
    article = _article(site)
    before = article.read_text(encoding="utf-8") + "\nAn editor's line.\n"
    article.write_text(before, encoding="utf-8")
    _change_seed(site)
    capsys.readouterr()
    assert _update(site, "--force") == 1
    shown = (site / ".digest-backup").as_posix()
    assert f"{shown}:1:1: error[outside-site]: '{shown}' is a link to" in capsys.readouterr().err
    assert not list(outside.iterdir())
    assert article.read_text(encoding="utf-8") == before

"""The build cache: reused only while its inputs hold; damaged, foreign or hostile caches
cost a full build, never wrong output; the build's ``--jobs``/``--no-cache``/``--no-search``;
and the kept site a build stages into."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import FOLDER, code_stamp
from generator.cli.main import main
from generator.diagnostics import BuildFailed
from tests.conftest import GOLDEN, SAMPLE, linked_partial
from tests.treediff import describe_difference, files

SEARCH = ("pagefind/",)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns(FOLDER))
    return copy


def _shard(path: Path) -> dict[str, object]:
    found = pickle.loads(path.read_bytes().partition(b"\n")[2])
    assert isinstance(found, dict)
    return found


def _entries(site: Path, kind: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for path in sorted((site / FOLDER / kind).glob("*.pickle")):
        found.update(_shard(path))
    return found


def _store(path: Path, payload: bytes, stamp: str | None = None) -> None:
    checksum = hashlib.sha256(payload).hexdigest()
    header = f"digest-cache {stamp or code_stamp()} {checksum}\n".encode()
    path.write_bytes(header + payload)


class Boom:
    """A pickled call to a function that must never run when a cache is read."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, ("/tmp/digest-cache-was-trusted",))


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "garbage",
        "flipped byte",
        "foreign version",
        "hostile pickle",
        "module import",
        "wrong shape",
    ],
)
def test_a_damaged_or_foreign_cache_gives_a_correct_build(
    site: Path, tmp_path: Path, damage: str
) -> None:
    output = tmp_path / "output"
    build(site, output, search=False)
    shutil.rmtree(output)  # nothing to reuse but what the cache says
    shards = sorted((site / FOLDER).rglob("*.pickle"))
    assert {p.parent.name for p in shards} == {"articles", "annotations", "bodies", "pages"}
    for path in shards:
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xff" * 100)
        elif damage == "flipped byte":
            path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
        elif damage == "foreign version":
            _store(path, data.partition(b"\n")[2], stamp="0" * 32)
        elif damage == "hostile pickle":
            _store(path, pickle.dumps({key: Boom() for key in _shard(path)}))
        elif damage == "module import":  # importing generator.__main__ would run the CLI
            _store(path, b"cgenerator.__main__\nX\n.")
        else:
            _store(path, pickle.dumps(["not", "a", "mapping"]))
    build(site, output, search=False)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    assert not Path("/tmp/digest-cache-was-trusted").exists()


@pytest.mark.parametrize("damage", ["truncated", "wrong values"])
def test_damaged_search_record_entries_give_a_correct_build(
    site: Path, tmp_path: Path, damage: str
) -> None:
    output, fresh = tmp_path / "output", tmp_path / "fresh"
    build(site, output)  # the pages' entries stay good: their search records are used
    shards = sorted((site / FOLDER / "records").glob("*.pickle"))
    assert shards
    for path in shards:
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:-7])
        else:  # the right shape of file, entries of the wrong kind
            _store(path, pickle.dumps({key: ("x", 1) for key in _shard(path)}))
    build(site, output)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    build(site, fresh, cache=False)
    assert describe_difference(fresh, output) == ""  # the search index too


def test_a_hand_edited_output_file_is_rendered_again(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(site, output, search=False)
    page = output / "articles" / "tokyo-rail" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    (output / "tags" / "index.html").unlink()
    build(site, output, search=False)
    assert describe_difference(GOLDEN, output, SEARCH) == ""


def test_a_page_behind_a_link_out_of_the_output_is_never_reused(site: Path, tmp_path: Path) -> None:
    """A folder of output/ replaced by a link elsewhere: its pages are rendered again, so
    no published page is a hard link to a file outside the site."""
    output = tmp_path / "output"
    build(site, output, search=False)
    outside = tmp_path / "elsewhere"
    shutil.move(output / "articles" / "tokyo-rail", outside)
    (output / "articles" / "tokyo-rail").symlink_to(outside, target_is_directory=True)
    build(site, output, search=False)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    page = output / "articles" / "tokyo-rail" / "index.html"
    assert not page.is_symlink() and not page.parent.is_symlink()
    assert page.stat().st_ino != (outside / "index.html").stat().st_ino


def test_a_layout_change_renders_pages_again_but_keeps_bodies(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(site, output, search=False)
    bodies, pages = _entries(site, "bodies"), _entries(site, "pages")
    (site / "layouts").mkdir()
    shutil.copy(GOLDEN.parents[2] / "layouts" / "404.html", site / "layouts" / "404.html")
    build(site, output, search=False)
    assert _entries(site, "bodies") == bodies
    assert not _entries(site, "pages").keys() & pages.keys()  # every page depends on the layouts


def test_a_config_change_keeps_exactly_what_does_not_use_it(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(site, output, search=False)
    articles, bodies = _entries(site, "articles"), _entries(site, "bodies")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("ana: Ana Lima", "ana: Ana M. Lima"))
    build(site, output, search=False)
    assert _entries(site, "articles") == articles  # parsing a file does not use site.yaml
    kept = _entries(site, "bodies").keys() & bodies.keys()
    assert 0 < len(kept) < len(bodies)  # bodies with Ana's notes show her name: rendered again
    assert "Ana M. Lima" in (output / "articles" / "cafe-culture-paris" / "index.html").read_text()


def test_a_linked_cache_folder_is_not_written_through(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "zz.pickle").write_text("someone else's file")
    (site / FOLDER).symlink_to(elsewhere)
    build(site, tmp_path / "output", search=False)
    assert [p.name for p in elsewhere.iterdir()] == ["zz.pickle"]
    (site / FOLDER).unlink()
    (site / FOLDER / "pages").mkdir(parents=True)
    (site / FOLDER / "bodies").symlink_to(elsewhere)
    build(site, tmp_path / "output", search=False)
    assert [p.name for p in elsewhere.iterdir()] == ["zz.pickle"]
    assert list((site / FOLDER / "pages").glob("*.pickle"))
    assert describe_difference(GOLDEN, tmp_path / "output", SEARCH) == ""


def test_build_options_no_cache_jobs_and_no_search(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    argv = ["build", "--site", str(site), "--output", str(output), "--no-search"]
    assert main([*argv, "--no-cache", "--jobs", "2"]) == 0
    assert not (site / FOLDER).exists()
    assert not (output / "pagefind").exists()
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    assert main([*argv, "--jobs", "1"]) == 0
    assert (site / FOLDER / ".gitignore").is_file()


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--jobs", value])
    assert exit_.value.code == 2
    assert f"expected a number of processes, 1 or more, got '{value}'" in capsys.readouterr().err


# The kept site: a build stages into the site it replaced last time (``.output-spare``);
# the result is byte for byte a fresh build's, a failed build leaves the live site alone,
# and a kept site holding anything but plain files and folders is not used.

ARTICLES = Path("content") / "articles"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("search", [False, True])
def test_a_build_into_the_kept_site_equals_a_fresh_build(
    site: Path, tmp_path: Path, search: bool
) -> None:
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    build(site, output, search=search)
    build(site, output, search=search)
    assert spare.is_dir()
    new = "---\ntitle: New\ndate: 2024-05-15\noutlet: Reuters\ntags: [trade]\n---\n\nText.\n"
    for number in range(4):
        if number == 0:
            _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
        elif number == 1:
            (site / ARTICLES / "election-coverage.md").unlink()
        elif number == 2:
            (site / ARTICLES / "new.md").write_text(new, encoding="utf-8")
        else:
            _edit(site / "site.yaml", "per_page: 2", "per_page: 3")
        build(site, output, search=search)
        fresh = tmp_path / f"fresh{number}"
        build(site, fresh, cache=False, search=search)
        assert describe_difference(fresh, output) == "", number
    assert spare.is_dir()


def test_a_failed_build_leaves_the_live_site_alone(site: Path, tmp_path: Path) -> None:
    """The kept site's unchanged files are the live site's files (hard links): a build
    replaces them in its staging folder, never writes into them."""
    output = tmp_path / "output"
    build(site, output, search=False)
    build(site, output, search=False)
    before = files(output)
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    (site / "layouts").mkdir()
    (site / "layouts" / "list.html").write_text("{{ page.nope }}")
    with pytest.raises(BuildFailed):
        build(site, output, search=False)
    assert files(output) == before


def test_a_failed_build_keeps_what_it_staged_as_the_spare_and_the_next_build_is_whole(
    site: Path, tmp_path: Path
) -> None:
    """A failed (or stopped) build renames its staging folder to ``.output-spare`` (one
    rename; removing a large tree took seconds after Ctrl-C); the next build stages into
    it and writes exactly what a fresh build writes."""
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    build(site, output, search=False)
    build(site, output, search=False)
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    (site / "layouts").mkdir()
    (site / "layouts" / "list.html").write_text("{{ page.nope }}")
    with pytest.raises(BuildFailed):
        build(site, output, search=False)
    assert spare.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".output-spare"]
    assert (spare / "articles" / "tokyo-rail" / "index.html").is_file()  # staged anew
    (site / "layouts" / "list.html").unlink()
    build(site, output, search=False)
    build(site, tmp_path / "fresh", cache=False, search=False)
    assert describe_difference(tmp_path / "fresh", output) == ""


def test_a_kept_site_holding_a_link_is_not_used(site: Path, tmp_path: Path) -> None:
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    build(site, output, search=False)
    build(site, output, search=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not ours")
    shutil.rmtree(spare / "articles" / "tokyo-rail")
    (spare / "articles" / "tokyo-rail").symlink_to(elsewhere, target_is_directory=True)
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    build(site, output, search=False)
    assert (elsewhere / "index.html").read_text() == "not ours"
    assert not (output / "articles" / "tokyo-rail").is_symlink()
    _edit(site / ARTICLES / "tokyo-rail.md", "41 million", "40 million")
    build(site, output, search=False)
    assert describe_difference(GOLDEN, output, SEARCH) == ""


def test_a_template_in_a_linked_layouts_folder_is_part_of_the_layouts(
    site: Path, tmp_path: Path
) -> None:
    # Jinja opens templates through a link to a folder (of the site); an edit there must
    # render the pages again
    output = tmp_path / "output"
    partial = linked_partial(site, "first words")
    build(site, output, search=False)
    assert "first words" in (output / "404.html").read_text()
    partial.write_text("<p>second words</p>")
    build(site, output, search=False)
    assert "second words" in (output / "404.html").read_text()

"""``digest serve``: one rebuild per burst, safe paths, the error overlay, a taken port."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.preview.server import Failed, Preview, ServeError
from generator.preview.session import Rebuilt
from generator.preview.watch import Watcher
from tests.conftest import SAMPLE, linked_partial
from tests.preview import running_preview, wait_for


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


def test_twenty_files_written_at_once_make_exactly_one_rebuild(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    calls: list[float] = []
    done = threading.Event()

    def rebuild(still_current: Callable[[], bool]) -> None:
        calls.append(time.monotonic())
        assert still_current()
        done.set()

    watcher = Watcher(lambda: [folder], rebuild)
    watcher.start()
    try:
        for number in range(20):
            (folder / f"note-{number}.md").write_text(f"file {number}\n", encoding="utf-8")
        assert done.wait(5)
        time.sleep(0.8)
        assert len(calls) == 1
        done.clear()
        (folder / "note-3.md").write_text("changed\n", encoding="utf-8")
        assert done.wait(5)
        time.sleep(0.5)
        assert len(calls) == 2
    finally:
        watcher.stop()


@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "polling"])
def test_a_folder_created_later_is_watched_too(tmp_path: Path, poll: bool) -> None:
    seeds = tmp_path / "seeds"
    seen: list[int] = []

    def rebuild(still_current: Callable[[], bool]) -> None:
        seen.append(len(list(seeds.glob("*.txt"))) if seeds.is_dir() else -1)

    watcher = Watcher(lambda: [tmp_path / "site.yaml", seeds], rebuild, poll=poll)
    watcher.start()
    try:
        seeds.mkdir()
        wait_for(lambda: len(seen) >= 1)
        (seeds / "page.txt").write_text("a page\n", encoding="utf-8")
        wait_for(lambda: 1 in seen)
        (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
        wait_for(lambda: len(seen) >= 3)
        assert watcher.polling is poll
    finally:
        watcher.stop()


def _status(url: str, path: str) -> int:
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return status


TRAVERSALS = [
    "/sample/../site.yaml",
    "/sample/%2e%2e/site.yaml",
    "/sample/%2E%2E/%2E%2E/etc/passwd",
    "/sample/..%2fsite.yaml",
    "/sample/static/..%2f..%2fsite.yaml",
    "/sample/static/%2e%2e%2f%2e%2e%2fsite.yaml",
    "/sample/..\\site.yaml",
    "/sample/%00",
    "//etc/passwd",
    "/etc/passwd",
    "/sample//etc/passwd",
    "/sample/outside/passwd",
    "/sample/outside-file",
]


def test_paths_outside_the_output_folder_get_404(site: Path) -> None:
    (site / "secret.txt").write_text("no\n", encoding="utf-8")
    with running_preview(site) as (preview, url, _events):
        os.symlink("/etc", preview.output / "outside")
        os.symlink(site / "secret.txt", preview.output / "outside-file")
        assert _status(url, "/sample/") == 200
        assert _status(url, "/sample/static/style.css") == 200
        for path in TRAVERSALS:
            assert _status(url, path) == 404, path


def test_pages_are_served_under_the_base_path_and_never_cached(site: Path) -> None:
    with running_preview(site) as (_preview, url, _events):
        assert url.endswith("/sample/")
        with urllib.request.urlopen(url + "articles/tokyo-rail/") as response:
            assert response.headers["Cache-Control"] == "no-store, must-revalidate"
            page = response.read().decode("utf-8")
        assert '<script src="/livereload.js?port=' in page
        assert _status(url, "/sample/articles/tokyo-rail") == 302
        assert _status(url, "/") == 302


def _page(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        text: str = response.read().decode("utf-8")
        return text


def test_errors_show_in_an_overlay_until_fixed(site: Path) -> None:
    article = site / "content" / "articles" / "tokyo-rail.md"
    good = article.read_text(encoding="utf-8")
    with running_preview(site) as (_preview, url, events):
        page = url + "articles/tokyo-rail/"
        article.write_text(good.replace("date: 2024-03-28", "date: 2024-03-"), encoding="utf-8")
        wait_for(lambda: any(isinstance(e, Failed) for e in events))
        broken = _page(page)
        assert 'id="digest-errors"' in broken
        assert "content/articles/tokyo-rail.md:3:7: error[bad-date]" in broken
        assert "rail network at 150" in broken  # the last good page, still served
        article.write_text(good.replace("40 million", "41 million"), encoding="utf-8")
        # reported once the rebuild is over: its pages are written a moment before the
        # errors are cleared (the reader's reload comes after both)
        wait_for(lambda: isinstance(events[-1], Rebuilt))
        fixed = _page(page)
        assert "41 million" in fixed and 'id="digest-errors"' not in fixed
        assert isinstance(events[-1], Rebuilt) and not events[-1].full


def test_a_taken_port_is_reported_with_a_free_one(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = Preview(site, site / "output", lambda event: None)
        with pytest.raises(
            ServeError, match=rf"port {port} on 127.0.0.1 is already in use; try --port \d+"
        ):
            preview.listen("127.0.0.1", port)


def test_a_loopback_preview_refuses_other_host_names(site: Path) -> None:
    with running_preview(site) as (_preview, url, _events):
        host, port = url.split("//")[1].split("/")[0].split(":")
        for name, expected in [("localhost", 200), ("127.0.0.1", 200), ("attacker.example", 403)]:
            connection = http.client.HTTPConnection(host, int(port), timeout=5)
            connection.request("GET", "/sample/", headers={"Host": f"{name}:{port}"})
            assert connection.getresponse().status == expected, name
            connection.close()


def _request(url: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _upgrade(origin: str | None, host: str) -> dict[str, str]:
    headers = {
        "Host": host,
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    if origin is not None:
        headers["Origin"] = origin
        headers["Sec-Fetch-Site"] = "cross-site"
    return headers


def test_the_reload_script_and_socket_answer_only_to_the_served_host(site: Path) -> None:
    with running_preview(site) as (_preview, url, _events):
        port = url.split(":")[2].split("/")[0]
        own, foreign = f"localhost:{port}", f"attacker.example:{port}"
        assert _request(url, "/livereload.js", {"Host": own}).status == 200
        assert _request(url, "/livereload.js", {"Host": foreign}).status == 403
        assert _request(url, "/livereload", _upgrade(f"http://{own}", own)).status == 101
        assert _request(url, "/livereload", _upgrade(None, foreign)).status == 403
        assert _request(url, "/livereload", _upgrade("http://evil.example", own)).status == 403
        assert _request(url, "/livereload", _upgrade("null", own)).status == 403
        other_port = f"http://localhost:{int(port) + 1}"
        assert _request(url, "/livereload", _upgrade(other_port, own)).status == 403


def test_redirects_are_never_protocol_relative(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(
        config.read_text("utf-8").replace("example.org/sample/", "example.org/"), "utf-8"
    )
    with running_preview(site) as (_preview, url, _events):
        for path in ["//articles", "///articles", "//articles/tokyo-rail", "/articles"]:
            response = _request(url, path, {})
            location = response.headers["Location"] or ""
            assert response.status in {301, 302, 404}, path
            assert not location.startswith(("//", "/\\")), (path, location)
        assert _request(url, "//articles", {}).headers["Location"] == "/articles/"


def test_a_second_build_under_serve_is_replaced_whole_on_the_next_write(site: Path) -> None:
    article = site / "content" / "articles" / "tokyo-rail.md"
    with running_preview(site) as (preview, url, events):
        other = ["build", "--site", str(site), "--base-url", "https://other.example/x/"]
        assert main(other) == 0
        article.write_text(article.read_text("utf-8").replace("40 million", "41 million"), "utf-8")
        wait_for(lambda: "41 million" in _page(url + "articles/tokyo-rail/"))
        preview.session.settle(timeout=60)  # the search index is written in the background
        mixed = [
            p
            for p in preview.output.rglob("*")
            if p.is_file() and b"other.example" in p.read_bytes()
        ]
        assert mixed == []
        assert isinstance(events[-1], Rebuilt) and events[-1].full


def _serve(site: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator", "serve", "--site", str(site), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigterm_stops_serve_without_waiting_for_a_request(site: Path) -> None:
    process = _serve(site, "--port", "0")
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("Serving "):
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert "Stopped." in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_taken_port_is_reported_before_building(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--site", str(site), "--port", str(port)]) == 1
    assert f"port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err
    assert not (site / "output").exists()


def test_a_template_behind_a_link_in_layouts_is_watched(site: Path) -> None:
    partial = linked_partial(site, "first words")
    with running_preview(site) as (preview, _url, _events):
        page = preview.output / "404.html"
        assert "first words" in page.read_text()
        partial.write_text("<p>second words</p>")
        wait_for(lambda: "second words" in page.read_text())

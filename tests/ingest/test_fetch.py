"""fetch_url against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.ingest import IngestError, extract_bytes, fetch_url

PAGE = (Path(__file__).parent / "fixtures" / "page.html").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/article": (200, "text/html; charset=utf-8", PAGE),
            "/redirect": (302, "text/html", b""),
            "/feed.pdf": (200, "application/pdf", b"%PDF-1.4"),
            "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
        }
        status, kind, body = routes.get(self.path, (404, "text/html", b"missing"))
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/article")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def code_of(url: str, **kwargs: float) -> str:
    with pytest.raises(IngestError) as caught:
        fetch_url(url, **kwargs)  # type: ignore[arg-type]
    assert caught.value.diagnostic.location.path == url
    return caught.value.diagnostic.code


def test_fetch_html_page(server: str) -> None:
    data, final_url, content_type = fetch_url(server + "/article", timeout=5)
    assert data == PAGE
    assert final_url == server + "/article"
    assert content_type.startswith("text/html")
    result = extract_bytes(data, final_url, content_type)
    assert result.title == "Harbour city opens its first floating library"


def test_redirect_gives_final_url(server: str) -> None:
    _, final_url, _ = fetch_url(server + "/redirect", timeout=5)
    assert final_url == server + "/article"


def test_http_error(server: str) -> None:
    assert code_of(server + "/missing", timeout=5) == "fetch-http"


def test_not_html(server: str) -> None:
    assert code_of(server + "/feed.pdf", timeout=5) == "fetch-not-html"


def test_too_large(server: str) -> None:
    assert code_of(server + "/big", timeout=5, max_bytes=1000) == "fetch-too-large"


def test_unreachable_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert code_of(f"http://127.0.0.1:{port}/", timeout=2) == "fetch-unreachable"


def test_not_a_url() -> None:
    assert code_of("ftp://example.org/file") == "fetch-bad-url"

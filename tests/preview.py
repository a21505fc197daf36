"""Running ``digest serve``'s Preview in a background thread, for tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.preview.server import Event, Preview


@contextlib.contextmanager
def running_preview(site: Path) -> Iterator[tuple[Preview, str, list[Event]]]:
    """Serve ``site`` on 127.0.0.1 (a free port); yield the preview, its URL and its events."""
    events: list[Event] = []
    preview = Preview(site, site / "output", events.append)
    ready = threading.Event()
    address: list[str] = []

    def serve() -> None:
        address.append(preview.listen("127.0.0.1", 0))
        ready.set()
        preview.run()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(30), "the preview did not start"
    try:
        yield preview, address[0], events
    finally:
        preview.stop()
        thread.join(10)


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll ``condition`` until it holds, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")

"""Serve a built site on 127.0.0.1: for the browser tests, Lighthouse runs and screenshots."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` from a free port in a background thread; yield the origin (no slash).

    Files are read per request, so a site can be built into a sub-folder of ``root``
    after the server started, with a base URL that names the server's own port.
    """
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

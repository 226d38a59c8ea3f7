"""Serve a built site on 127.0.0.1: for the browser tests, Lighthouse runs and screenshots,
and ``versus serve --site`` (a site built elsewhere, such as a pull request's artifact)."""

from __future__ import annotations

import functools
import http.server
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from generator.errors import BuildError


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(root: Path, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``root`` from a free port in a background thread; yield the origin (no slash).

    Files are read per request, so a site can be built into a sub-folder of ``root``
    after the server started, with a base URL that names the server's own port.
    """
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class BuiltSite:
    """A built site served as it is, under the path it was built for (``/repo/`` for a
    site built for ``https://user.github.io/repo/``, read from its home page's canonical
    link), so links work as they will once published. No rebuilds, no reloads."""

    def __init__(self, site: Path, *, host: str = "127.0.0.1", port: int = 0):
        self.base = base_path_of(site)
        self._tmp = tempfile.TemporaryDirectory(prefix="versus-site-")
        root = Path(self._tmp.name)
        if self.base == "/":
            root = site.resolve()
        else:
            mount = root / self.base.strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(site.resolve(), target_is_directory=True)
        self._serving = serve(root, host=host, port=port)
        self.url = self._serving.__enter__() + self.base

    def __enter__(self) -> "BuiltSite":
        return self

    def __exit__(self, *exc: object) -> None:
        self._serving.__exit__(None, None, None)
        self._tmp.cleanup()

    def wait(self) -> None:
        threading.Event().wait()  # until Ctrl-C


def base_path_of(site: Path) -> str:
    """The URL path a built site lives under, from its home page's canonical link."""
    try:
        head = (site / "index.html").read_text(encoding="utf-8")[:20000]
    except OSError:
        raise BuildError(f"{site} holds no built site (no index.html)") from None
    found = re.search(r'<link rel="canonical" href="([^"]+)"', head)
    path = urlsplit(found[1]).path if found else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"

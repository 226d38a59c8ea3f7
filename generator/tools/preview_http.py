"""The preview's HTTP side: the built site's files under its base path, reload events, errors.

``Preview`` (``preview.py``) builds; this module serves what it built and tells
open tabs about each build (Server-Sent Events, shared by a SharedWorker).
"""

from __future__ import annotations

import html
import http.server
import importlib.resources
import json
import logging
import mimetypes
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

RESERVED = "/__versus/"  # the preview's own URLs; no site page can live here
CLIENT = importlib.resources.files("generator.tools") / "livereload"
CLIENT_FILES = {"client.js", "worker.js"}
KEEPALIVE_S = 15.0  # a comment on idle event streams, so closed tabs are noticed
MAX_STREAMS = 256  # event streams held open at once (a browser needs one, see worker.js)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Status:
    """What an open tab needs to know about the latest build."""

    site: str  # identity of the site being served; "" until a build has succeeded
    base_path: str  # the URL path the site lives under
    errors: tuple[str, ...] = ()  # the latest build's problems, formatted; () if it worked

    def event(self) -> bytes:
        data = json.dumps({"site": self.site, "errors": list(self.errors)})
        return f"data: {data}\n\n".encode()


class Broadcast:
    """The latest status, and a way for every open event stream to wait for the next."""

    def __init__(self, status: Status):
        self._cond = threading.Condition()
        self._status = status
        self._version = 0
        self._closed = False

    def current(self) -> tuple[int, Status]:
        with self._cond:
            return self._version, self._status

    def publish(self, status: Status) -> None:
        with self._cond:
            self._status = status
            self._version += 1
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, Status] | None:
        """The status after version ``seen`` (the same one on timeout); None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._version != seen, timeout)
            return None if self._closed else (self._version, self._status)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Served(Protocol):
    """What the server needs of a preview: the folder it built into and its status."""

    out: Path
    broadcast: Broadcast


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Served):
        self.preview = preview
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the built site's files only; no listings, nothing outside it."""

    server: PreviewServer
    server_version = "versus-serve"
    timeout = 30  # a client that connects and sends nothing does not hold a thread forever

    def do_GET(self) -> None:
        self._respond()

    def do_HEAD(self) -> None:
        self._respond()

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _respond(self) -> None:
        if not self._host_allowed():
            return self._send(403, b"Forbidden: unexpected Host header\n", "text/plain")
        path = urlsplit(self.path).path
        if path == RESERVED + "events":
            return self._events()
        if path.startswith(RESERVED):
            return self._client_file(path[len(RESERVED):])
        _, status = self.server.preview.broadcast.current()
        if not status.site:
            return self._send(500, _error_page(status), "text/html")
        base = status.base_path
        if not path.startswith(base):
            if path == "/" or path + "/" == base:
                return self._redirect(base)
            return self._not_found(status)
        found = resolve(self.server.preview.out, path[len(base):])
        if found == "/":
            return self._redirect(path + "/")
        if found is None:
            return self._not_found(status)
        self._send_file(found, status, 200)

    # ------------------------------------------------------------------ responses

    def _send_file(self, file: Path, status: Status, code: int) -> None:
        try:
            body = file.read_bytes()
        except OSError:  # replaced by a rebuild between resolving and reading
            return self._send(404, b"Not found\n", "text/plain")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = inject(body, status.site)
        self._send(code, body, kind)

    def _not_found(self, status: Status) -> None:
        page = resolve(self.server.preview.out, "404.html")
        if isinstance(page, Path):
            return self._send_file(page, status, 404)
        self._send(404, b"Not found\n", "text/plain")

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        text = kind.startswith("text/") or kind in ("application/javascript", "application/json")
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if text else kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _client_file(self, name: str) -> None:
        if name not in CLIENT_FILES:  # a fixed list: nothing else of the package is served
            return self._send(404, b"Not found\n", "text/plain")
        self._send(200, (CLIENT / name).read_bytes(), "text/javascript")

    def _events(self) -> None:
        """Server-Sent Events: the current status now, then each new one as it comes."""
        if not self.server.streams.acquire(blocking=False):
            return self._send(503, b"Too many open event streams\n", "text/plain")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self._stream()
        except OSError:  # the tab went away
            pass
        finally:
            self.server.streams.release()

    def _stream(self) -> None:
        broadcast = self.server.preview.broadcast
        seen, status = broadcast.current()
        self.wfile.write(b"retry: 1000\n" + status.event())
        self.wfile.flush()
        while True:
            update = broadcast.wait(seen, KEEPALIVE_S)
            if update is None:  # the preview is stopping
                return
            if update[0] == seen:
                self.wfile.write(b": keep-alive\n\n")
            else:
                seen, status = update
                self.wfile.write(status.event())
            self.wfile.flush()

    def _host_allowed(self) -> bool:
        """On loopback, only local names: a web page elsewhere cannot read the preview
        through DNS rebinding."""
        if self.server.server_address[0] not in ("127.0.0.1", "::1"):
            return True
        host = (self.headers.get("Host") or "").strip()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name.lower() in LOOPBACK


def resolve(root: Path, relative: str) -> Path | str | None:
    """The file under ``root`` for a URL path below the base path.

    Returns "/" when the path names a folder without its trailing slash, and None
    when there is no such file: for any ``..`` or ``.`` segment (also percent-
    encoded), backslash, NUL, or a path that would leave ``root`` by a link, and
    for a folder without ``index.html`` (nothing is ever listed).
    """
    try:
        name = unquote(relative, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = name.split("/")
    if "\x00" in name or "\\" in name or any(p in ("..", ".") for p in parts):
        return None
    target = root.joinpath(*[p for p in parts if p])
    if target.is_dir():
        if name and not name.endswith("/"):
            return "/"
        target = target / "index.html"
    real = target.resolve()
    if not real.is_relative_to(root.resolve()) or not real.is_file():
        return None
    return real


def inject(page: bytes, site: str) -> bytes:
    """The page with the reload script added before ``</body>`` (only as it is sent)."""
    tag = (f'<script src="{RESERVED}client.js" data-site="{html.escape(site)}"></script>'
           .encode())
    index = page.lower().rfind(b"</body>")
    return page[:index] + tag + page[index:] if index >= 0 else page + tag


def _error_page(status: Status) -> bytes:
    """What every URL shows while no build has succeeded yet."""
    problems = "".join(f"<pre>{html.escape(p)}</pre>" for p in status.errors)
    page = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>The site could "
            "not be built</title><body><h1>The site could not be built</h1><p>Fix these "
            f"problems and save: this page reloads by itself.</p>{problems}</body></html>")
    return inject(page.encode(), status.site)


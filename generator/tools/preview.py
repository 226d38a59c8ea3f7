"""``versus serve``: a live preview that rebuilds on every save and reloads open tabs.

One thread watches ``content/`` and ``templates/`` (watchfiles, debounced) and runs
the normal build into a temporary folder, one build at a time; a threaded
stdlib HTTP server serves that folder under the site's base path. Each open tab
learns about new builds through Server-Sent Events at ``/__versus/events`` (the
tabs of one browser share a single connection through a SharedWorker). A build
that fails leaves the last good site in place: the problems go to the terminal
and, through the same events, over the page; the page comes back once they are
fixed. The reload script is added to pages as they are sent, never written into
any site folder.
"""

from __future__ import annotations

import html
import http.server
import importlib.resources
import json
import logging
import mimetypes
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import watchfiles

from generator.build import build
from generator.errors import BuildError, ContentError
from generator.load.sources import display_path

log = logging.getLogger(__name__)

RESERVED = "/__versus/"  # the preview's own URLs; no site page can live here
CLIENT = importlib.resources.files("generator.tools") / "livereload"
CLIENT_FILES = {"client.js", "worker.js"}
KEEPALIVE_S = 15.0  # a comment on idle event streams, so closed tabs are noticed
MAX_STREAMS = 256  # event streams held open at once (a browser needs one, see worker.js)
DEBOUNCE_MS, STEP_MS = 1600, 100  # watchfiles: group changes until 100 ms of quiet
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

Echo = Callable[..., None]


def _print(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


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


class Preview:
    """Build, serve and rebuild one project; use as a context manager."""

    def __init__(self, source: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 drafts: bool = True, echo: Echo = _print):
        if not (source / "content").is_dir():
            raise BuildError(f"no content/ folder in {display_path(source)} (use --source DIR)")
        self.source = source
        self.drafts = drafts
        self.echo = echo
        self.builds = 0
        self._built_from: dict[str, tuple[int, int]] = {}
        self.broadcast = Broadcast(Status("", "/"))
        self._session = secrets.token_hex(4)  # a restarted server makes every tab reload
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server = _Server((host, port), self)  # binds now: a busy port fails here
        self._tmp = Path(tempfile.mkdtemp(prefix="versus-serve-"))
        self.out = self._tmp / "site"

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Preview":
        try:
            self.rebuild()
            self._spawn(self._server.serve_forever, 0.2)
            self._spawn(self._watch)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop watching and serving, end every event stream, delete the built site."""
        self._stop.set()
        self.broadcast.close()
        if self._threads:  # shutdown() waits for serve_forever, which must have started
            self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C raises ``KeyboardInterrupt`` here)."""
        while not self._stop.wait(0.5):
            pass

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{self.broadcast.current()[1].base_path}"

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True,
                                  name=f"versus-{target.__name__}")
        thread.start()
        self._threads.append(thread)

    # ------------------------------------------------------------------ building

    def rebuild(self) -> Status:
        """Build once; publish the new site, or the problems with the last good site kept."""
        _, previous = self.broadcast.current()
        self._built_from = self._fingerprint()
        try:
            report = build(self.source, self.out, drafts=self.drafts)
        except ContentError as exc:
            problems = sorted(exc.warnings + exc.errors)
            status = Status(previous.site, previous.base_path,
                            tuple(p.format() for p in problems))
            for problem in problems:
                self.echo(problem.format(), err=True)
            self.echo(f"{len(exc.errors)} error(s): the preview shows the last good build "
                      "until they are fixed", err=True)
        except BuildError as exc:
            status = Status(previous.site, previous.base_path, (f"error: {exc}",))
            self.echo(f"error: {exc}", err=True)
        except Exception:  # a bug in Versus must not stop the preview either
            trace = traceback.format_exc()
            status = Status(previous.site, previous.base_path,
                            ("internal error in versus (please report it):\n" + trace,))
            self.echo(trace, err=True)
        else:
            self.builds += 1
            status = Status(f"{self._session}-{self.builds}", report.base_path)
            for warning in report.warnings:
                self.echo(warning.format(), err=True)
            self.echo(f"Built {report.pages_written} pages in {report.seconds:.2f} s")
        self.broadcast.publish(status)
        return status

    def _watch(self) -> None:
        """Rebuild after each burst of changes; builds run here, so never two at once."""
        while not self._stop.is_set():
            folders = self._folders()
            fresh = True
            try:
                # Wake every second even when idle, to notice templates/ appearing or going.
                for changes in watchfiles.watch(*folders, stop_event=self._stop,
                                                debounce=DEBOUNCE_MS, step=STEP_MS,
                                                rust_timeout=1000, yield_on_timeout=True,
                                                raise_interrupt=False):
                    if self._folders() != folders:
                        break  # watch the new set; its first round sees what changed
                    # A change made after the last build but before this watch began is
                    # not an event: the first round compares the files themselves.
                    missed = fresh and self._fingerprint() != self._built_from
                    fresh = False
                    if changes or missed:
                        self._changed(changes)
                        self.rebuild()
            except Exception as exc:  # e.g. content/ was deleted: say so, try again
                self.echo(f"watching {display_path(self.source)} failed ({exc}); retrying",
                          err=True)
                self._stop.wait(1.0)

    def _folders(self) -> list[Path]:
        return [f for f in (self.source / "content", self.source / "templates") if f.is_dir()]

    def _fingerprint(self) -> dict[str, tuple[int, int]]:
        """Modification time and size of every watched file."""
        found = {}
        for folder in self._folders():
            for path in folder.rglob("*"):
                try:
                    stat = path.stat()
                except OSError:  # removed while we looked
                    continue
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return found

    def _changed(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        names = sorted({display_path(Path(path)) for _, path in changes}) or ["files"]
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        self.echo(f"Changed: {', '.join(names[:3])}{more}")


# --------------------------------------------------------------------------- HTTP


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview):
        self.preview = preview
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the built site's files only; no listings, nothing outside it."""

    server: _Server
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


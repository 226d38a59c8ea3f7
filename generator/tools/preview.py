"""``versus serve``: a live preview that rebuilds on every save and reloads open tabs.

One thread watches ``content/`` and ``templates/`` (``watch.py``) and runs
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

import logging
import secrets
import shutil
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Callable

from generator.build import build
from generator.compute.memo import Memo
from generator.errors import BuildError, ContentError
from generator.load.sources import display_path
from generator.tools.preview_http import Broadcast, PreviewServer, Status
from generator.tools.watch import Echo, Watcher

log = logging.getLogger(__name__)


def _print(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


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
        self.memo = Memo()  # what the next build need not parse or fit again
        self.broadcast = Broadcast(Status("", "/"))
        self._session = secrets.token_hex(4)  # a restarted server makes every tab reload
        self._stop = threading.Event()
        self._watcher = Watcher(source, self.rebuild, stop=self._stop, echo=echo)
        self._threads: list[threading.Thread] = []
        self._server = PreviewServer((host, port), self)  # binds now: a busy port fails here
        self._tmp = Path(tempfile.mkdtemp(prefix="versus-serve-"))
        self.out = self._tmp / "site"

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Preview":
        try:
            self.rebuild()
            self._spawn(self._server.serve_forever, 0.2)
            self._spawn(self._watcher.watch)
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
        self._watcher.mark()
        try:
            report = build(self.source, self.out, drafts=self.drafts, memo=self.memo,
                           precompile=False)
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

"""Progress of long builds, for people: a bar on a terminal, a few plain lines in CI logs.

Builds report through the ``Progress`` protocol; the CLI decides where it goes.
Short builds (under ``min_pages`` pages to render) stay silent, so the one-line
summary remains the whole output of an everyday build.
"""

from __future__ import annotations

import time
from typing import Callable, Protocol, TextIO

BAR_WIDTH = 28
REDRAW_S = 0.1  # a terminal redraws at most this often
CI_STEPS = 4  # plain lines at 25 %, 50 %, 75 %, then a closing line


class Progress(Protocol):
    def start(self, total: int, workers: int) -> None: ...
    def advance(self, pages: int) -> None: ...
    def finish(self) -> None: ...


class Silent:
    """Progress that shows nothing (the default for library callers and tests)."""

    def start(self, total: int, workers: int) -> None:
        pass

    def advance(self, pages: int) -> None:
        pass

    def finish(self) -> None:
        pass


class StreamProgress:
    """Pages done out of the total and the rate, on ``stream``.

    On a terminal: one line redrawn in place (``\\r``) and cleared at the end.
    Elsewhere (CI logs, pipes): a line at the start, at each quarter and at the end.
    """

    def __init__(self, stream: TextIO, *, tty: bool, min_pages: int = 1000,
                 clock: Callable[[], float] = time.monotonic):
        self.stream, self.tty, self.min_pages, self.clock = stream, tty, min_pages, clock
        self.total = self.done = 0
        self.active = False
        self._started = self._drawn = 0.0
        self._step = 0

    def start(self, total: int, workers: int) -> None:
        self.total, self.done, self._step = total, 0, 0
        self.active = total >= self.min_pages
        self._started = self._drawn = self.clock()
        if self.active and not self.tty:
            processes = "1 process" if workers == 1 else f"{workers} processes"
            self._line(f"Rendering {total:,} pages with {processes}")

    def advance(self, pages: int) -> None:
        self.done += pages
        if not self.active:
            return
        now = self.clock()
        if self.tty:
            if now - self._drawn >= REDRAW_S or self.done >= self.total:
                self._drawn = now
                self.stream.write("\r" + self._bar(now))
                self.stream.flush()
            return
        step = self.done * CI_STEPS // max(self.total, 1)
        if self._step < step < CI_STEPS:
            self._step = step
            self._line(f"  {self._counts()} ({self.done * 100 // self.total} %), "
                       f"{self._rate(now)}")

    def finish(self) -> None:
        if not self.active:
            return
        if self.tty:
            self.stream.write("\r\x1b[K")  # the summary line takes the bar's place
            self.stream.flush()
        else:
            self._line(f"  {self._counts()} in {self.clock() - self._started:.1f} s")
        self.active = False

    def _bar(self, now: float) -> str:
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        return (f"Rendering [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{self._counts()} pages, {self._rate(now)}")

    def _counts(self) -> str:
        return f"{self.done:,}/{self.total:,}"

    def _rate(self, now: float) -> str:
        elapsed = now - self._started
        return f"{self.done / elapsed:,.0f} pages/s" if elapsed > 0 else "- pages/s"

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

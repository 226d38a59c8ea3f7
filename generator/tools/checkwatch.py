"""``versus check --watch``: check again on every save, in one process that stays warm.

A fresh ``versus check`` after an edit spends most of its time before it reads a file:
starting Python and importing the pipeline (pydantic's schema, YAML, Markdown). This
pays for them once. Each save is checked (``analyse.checked``, the same check) with the
modules, the files' parses and the quality fit of the last round still in memory, so
only the changed files are parsed again; every round also updates the check memo
(``checkmemo.py``), so a plain ``versus check`` afterwards (a pre-commit hook) replays
its result instead of checking again.

Each round prints every error, the warnings that are new since the last round, and a
summary line; ``docs/performance.md`` has what a round costs.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import threading
import time
import traceback
from pathlib import Path
from typing import Callable, Iterable, Sequence

from generator.analyse import checked, stored_memo
from generator.checkmemo import CheckMemo
from generator.compute.memo import Memo
from generator.errors import BuildError, ContentError, SourceError
from generator.load.sources import display_path
from generator.output.report import BuildReport
from generator.tools.watch import Echo, Watcher


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What one round found."""

    warnings: tuple[SourceError, ...] = ()
    errors: tuple[SourceError, ...] = ()  # content errors, at their places
    failure: str | None = None  # an error with no place in the content (a template's)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.failure is None


def _kinds(problems: Iterable[SourceError]) -> collections.Counter[tuple[str, str, str]]:
    # A warning is the same warning when a line was added above it.
    return collections.Counter((p.path, p.severity, p.message) for p in problems)


class CheckWatch:
    """Check ``source`` now and after each burst of saves, until stopped."""

    def __init__(self, source: Path, *, drafts: bool, strict: bool, base_url: str | None,
                 show: Callable[[Sequence[SourceError]], None], echo: Echo,
                 finish: Callable[[BuildReport], BuildReport] = lambda report: report,
                 clean: bool = False, today: Callable[[], dt.date] = dt.date.today):
        self.source = source
        self.drafts, self.strict, self.base_url = drafts, strict, base_url
        self.show = show  # prints problems
        self.echo = echo  # prints a line; err=True for stderr
        self.finish = finish
        self.today = today  # asked each round: a session may outlive the day
        self.last: Outcome | None = None
        self.rounds = 0
        self._baseline: collections.Counter[tuple[str, str, str]] | None = None
        self._stop = threading.Event()
        self._watcher = Watcher(source, self.check, stop=self._stop, echo=echo)
        self._thread: threading.Thread | None = None
        self.memo = Memo() if clean else stored_memo(CheckMemo(source))

    def check(self) -> Outcome:
        """One round: check the files as they are now, print what it found."""
        self._watcher.mark()
        today = self.today()
        store = CheckMemo.of_check(self.source, drafts=self.drafts, strict=self.strict,
                                   base_url=self.base_url, today=today)
        store.stamp  # noqa: B018 - of the files as this round reads them, before it does
        started = time.perf_counter()
        warnings: tuple[SourceError, ...] = ()
        errors: tuple[SourceError, ...] = ()
        failure = None
        try:
            warnings = checked(self.source, store, drafts=self.drafts, strict=self.strict,
                               today=today, finish=self.finish, memo=self.memo)
        except ContentError as exc:
            warnings, errors = tuple(exc.warnings), tuple(exc.errors)
        except BuildError as exc:
            failure = str(exc)
        except Exception:  # a bug in Versus must not stop the watch
            failure = "internal error in versus (please report it):\n" + traceback.format_exc()
        outcome = Outcome(tuple(sorted(warnings)), tuple(sorted(errors)), failure,
                          time.perf_counter() - started)
        self._report(outcome)
        self.last = outcome
        self.rounds += 1
        return outcome

    def _report(self, outcome: Outcome) -> None:
        """Every error; the warnings new since the last round without errors (a round
        with errors may stop before the warnings are looked for), or all of them the
        first time; then one line of counts."""
        before = self._baseline
        shown = list(outcome.warnings)
        if before is not None:
            seen = before.copy()
            shown = []
            for w in outcome.warnings:
                key = (w.path, w.severity, w.message)
                if seen[key] > 0:
                    seen[key] -= 1
                else:
                    shown.append(w)
        self.show(sorted(list(outcome.errors) + shown))
        if outcome.failure is not None:
            self.echo(f"error: {outcome.failure}", err=True)
        counts = []
        if not outcome.ok:
            counts.append(f"{len(outcome.errors) + (outcome.failure is not None)} error(s)")
        else:
            counts.append("no errors")
        if outcome.warnings or outcome.ok:
            count = f"{len(outcome.warnings)} warning(s)" if outcome.warnings else "no warnings"
            changes = [f"{len(shown)} new"] if before is not None and shown else []
            if before is not None and outcome.ok:
                gone = sum((before - _kinds(outcome.warnings)).values())
                changes += [f"{gone} gone"] if gone else []
            counts.append(count + (f" ({', '.join(changes)})" if changes else ""))
        if outcome.ok:
            self._baseline = _kinds(outcome.warnings)
        content = display_path(self.source / "content")
        self.echo(f"{content}: {', '.join(counts)} [{outcome.seconds:.2f} s]")

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Check once, then watch in a thread of its own."""
        self.check()
        self._thread = threading.Thread(target=self._watcher.watch, daemon=True,
                                        name="versus-check-watch")
        self._thread.start()

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C raises ``KeyboardInterrupt`` here)."""
        while not self._stop.wait(0.5):
            pass

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> "CheckWatch":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Watch a project's ``content/`` and ``templates/``; act after each burst of saves.

``versus serve`` rebuilds and ``versus check --watch`` checks through it. Changes are
grouped (watchfiles, debounced: 100 ms of quiet, at most 1.6 s) so that an editor
saving several files, or one saved in several writes, makes one run. The action runs
in the watching thread, so never two at once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

import watchfiles

from generator.load.sources import display_path

DEBOUNCE_MS, STEP_MS = 1600, 100  # watchfiles: group changes until 100 ms of quiet

Echo = Callable[..., None]


class Watcher:
    """Run ``act`` after each burst of changes under ``source``, until ``stop`` is set.

    ``act`` reads the files; it calls ``mark`` first, so that a change made while it
    ran, or before watching began, is seen and acted on too.
    """

    def __init__(self, source: Path, act: Callable[[], object], *, stop: threading.Event,
                 echo: Echo):
        self.source = source
        self.act = act
        self.stop = stop
        self.echo = echo
        self._marked: dict[str, tuple[int, int]] = {}

    def mark(self) -> None:
        """Note every watched file as it is now: what ``act`` is about to read."""
        self._marked = self.fingerprint()

    def watch(self) -> None:
        """Act after each burst of changes; return once ``stop`` is set."""
        while not self.stop.is_set():
            folders = self.folders()
            fresh = True
            try:
                # Wake every second even when idle, to notice templates/ appearing or going.
                for changes in watchfiles.watch(*folders, stop_event=self.stop,
                                                debounce=DEBOUNCE_MS, step=STEP_MS,
                                                rust_timeout=1000, yield_on_timeout=True,
                                                raise_interrupt=False):
                    if self.folders() != folders:
                        break  # watch the new set; its first round sees what changed
                    # A change made after the last run but before this watch began is
                    # not an event: the first round compares the files themselves.
                    missed = fresh and self.fingerprint() != self._marked
                    fresh = False
                    if changes or missed:
                        self._say_changed(changes)
                        self.act()
            except Exception as exc:  # e.g. content/ was deleted: say so, try again
                self.echo(f"watching {display_path(self.source)} failed ({exc}); retrying",
                          err=True)
                self.stop.wait(1.0)

    def folders(self) -> list[Path]:
        return [f for f in (self.source / "content", self.source / "templates") if f.is_dir()]

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Modification time and size of every watched file."""
        found = {}
        for folder in self.folders():
            for path in folder.rglob("*"):
                try:
                    stat = path.stat()
                except OSError:  # removed while we looked
                    continue
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return found

    def _say_changed(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        self.echo(f"Changed: {changed_names(changes)}")


def changed_names(changes: set[tuple[watchfiles.Change, str]]) -> str:
    """The files a burst of changes touched, for people: not the ones that came and went
    within it (an editor's or ``sed -i``'s temporary file, renamed over the real one)."""
    added = {path for kind, path in changes if kind == watchfiles.Change.added}
    gone = {path for kind, path in changes if kind == watchfiles.Change.deleted}
    names = sorted({display_path(Path(path)) for _, path in changes
                    if not (path in added and path in gone and not os.path.exists(path))})
    names = names or ["files"]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"{', '.join(names[:3])}{more}"

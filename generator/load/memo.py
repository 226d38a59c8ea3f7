"""Parsed content files kept between builds by a running ``versus serve``.

A ``ParseMemo`` maps each content file (by its path as shown) to the digest of its
bytes and what parsing those bytes gave. A build that is handed one parses only
the files whose bytes changed since the last build through the same memo; the
result is the one parsing would give, because parsing is a pure function of the
bytes and the path (``test_serve_memo.py`` holds a build through a warm memo to
a clean build). A file that fails to parse is not kept: its errors are
reported again, from a fresh parse, on every build until it is fixed.

No memo is global: whoever wants one makes it and passes it in; a plain
``versus build`` passes none and parses everything.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class ParseMemo:
    """What each content file parsed into, by path and content digest."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, Any]] = {}
        self._used: dict[str, tuple[bytes, Any]] = {}
        self.parsed = 0  # files parsed (not reused) in the last load: for tests and logs

    def parse(self, key: str, raw: bytes, parse: Callable[[bytes], T]) -> T:
        """``parse(raw)``, or what it gave last time for the same ``key`` and bytes."""
        digest = hashlib.blake2b(raw, digest_size=20).digest()
        hit = self._entries.get(key)
        if hit is not None and hit[0] == digest:
            value = hit[1]
        else:
            value = parse(raw)  # a ContentError leaves the memo without this file
            self.parsed += 1
        self._used[key] = (digest, value)
        return value

    def start(self) -> None:
        """Begin a load: count parses afresh."""
        self.parsed = 0
        self._used = {}

    def finish(self) -> None:
        """End a load: keep only the files it read (deleted files are forgotten)."""
        self._entries, self._used = self._used, {}

    def __len__(self) -> int:
        return len(self._entries)


class NoMemo(ParseMemo):
    """Parse every time (a plain build): no digest taken, nothing kept."""

    def parse(self, key: str, raw: bytes, parse: Callable[[bytes], T]) -> T:
        return parse(raw)

"""Problems an editor can cause, as values: collected, sorted, reported together."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem at a place in a content file (line and column are 1-based)."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    snippet: str | None = field(default=None, compare=False)

    def format(self, *, with_snippet: bool = True) -> str:
        """``path:line:col: message``, then the source line with a caret."""
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{printable(self.path)}:{self.line}:{self.col}: {prefix}{printable(self.message)}"
        if with_snippet and self.snippet is not None and self.snippet.strip():
            gutter = f"{self.line:>5} | "
            # The caret stands under the character, however wide its escape is shown.
            before = len(printable(self.snippet[: self.col - 1]))
            caret = " " * (len(gutter) - 2) + "| " + " " * before + "^"
            text += f"\n{gutter}{printable(self.snippet.rstrip())}\n{caret}"
        return text

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command, shown on the pull request's line."""
        return (f"::{self.severity} file={_escape(printable(self.path), True)},line={self.line},"
                f"col={self.col},title=versus::{_escape(printable(self.message))}")


# Characters a terminal acts on or that reorder text: shown escaped in every message, so
# text quoted from a file can never move the cursor or overwrite the real error.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029"
                             "\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``); tabs and newlines kept."""
    return _UNPRINTABLE_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _escape(text: str, in_property: bool = False) -> str:
    """Escape text for a workflow command (GitHub's toolkit escapes exactly these)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def line_of(text: str, line: int) -> str | None:
    """The 1-based ``line`` of ``text``, for showing beside an error.

    Lines end at ``\\n`` only, as the build counts them (``str.splitlines`` would also
    break at U+2028, form feeds and other separators, and show the wrong line).
    """
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else None


class ContentError(Exception):
    """Raised by a stage when the content has errors; carries all of them."""

    def __init__(self, errors: Iterable[SourceError], warnings: Iterable[SourceError] = ()):
        self.errors = tuple(sorted(set(errors)))
        self.warnings = tuple(sorted(set(warnings)))
        super().__init__(f"{len(self.errors)} content error(s)")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Crosses from worker processes to the build intact, not rebuilt from the message.
        return (ContentError, (self.errors, self.warnings))


class BuildError(Exception):
    """A problem that is not in a content file (output folder, lock, templates)."""


def display_path(path: Path) -> str:
    """A path as editors see it: relative to the working folder where possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)

"""What no content file may hold, and which files the build may read at all.

Checked by the load stage (``sources.py``) before anything else sees the content:
control characters (they break XML, move the terminal's cursor, and embed tokens
are made of one), numbers too large for the arithmetic downstream, and links that
lead out of the project folder.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any, Callable

import yaml

from generator.errors import SourceError, line_of

# Characters no content file may hold: C0 controls but tab and newline, DEL, C1 controls, and
# the Unicode line and paragraph separators (YAML and Python count them as line breaks, so
# positions would disagree with editors'). They break XML (the feed), move the terminal's
# cursor when a message quotes them, and hide text.
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
MAX_NUMBER = 10**15  # larger numbers in content are typos, and overflow floats downstream
MAX_NESTING = 32  # lists and mappings inside each other in one YAML document


def control_characters(text: str, path: str) -> list[SourceError]:
    """An error at every forbidden character of ``text`` (a whole file)."""
    return [_control_error(text, m.start(), path) for m in FORBIDDEN_RE.finditer(text)]


def _control_error(text: str, offset: int, path: str) -> SourceError:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = text[offset]
    what = "a Unicode line separator" if char in "\u2028\u2029" else "a control character"
    return SourceError(path, line, col, f"{what} (U+{ord(char):04X}) is not allowed here: "
                       "delete it (it was probably pasted in)", snippet=line_of(text, line))


def value_problem(value: Any, raw: str) -> str | None:
    """Why a YAML value (``raw`` as written) cannot be used, or None."""
    if isinstance(value, str):  # escapes in quoted YAML ("\\x07") make what decode refused
        found = FORBIDDEN_RE.search(value)
        if found:
            return f"the text holds a control character (U+{ord(found.group()):04X}): delete it"
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and (isinstance(value, int) or math.isfinite(value)) and abs(value) > MAX_NUMBER:
        return (f"the number {raw[:20]}{'…' if len(raw) > 20 else ''} is too large "
                f"(at most {MAX_NUMBER:.0e} is supported)")
    return None


def links_out(root: Path, errors: list[SourceError], shown: Callable[[Path], str]) -> set[Path]:
    """Every file the build may read (below ``content/`` and ``templates/``) that is, or lies
    in, a link to somewhere outside the project folder: refused before anything reads it.

    One rule for every file, whatever reads it (loaders, Jinja, the static files): a
    link may point anywhere inside the project, never out of it.
    """
    project = root.resolve()
    refused: set[Path] = set()
    seen: set[Path] = set()

    def refuse(path: Path) -> None:
        refused.add(path)
        errors.append(SourceError(shown(path), 1, 1, "links to a file outside the "
                                  f"project folder ({shown(root)}): copy the file in "
                                  "instead"))

    for top in (root / "content", root / "templates"):
        if not top.exists() and not top.is_symlink():
            continue
        if not _inside(top, project):
            refuse(top)
            continue
        for folder, dirs, names in os.walk(top, followlinks=True):
            real = Path(folder).resolve()
            if real in seen:  # a link back up the tree: walked already
                dirs[:] = []
                continue
            seen.add(real)
            for name in sorted(dirs):
                if not _inside(Path(folder, name), project):
                    refuse(Path(folder, name))
                    dirs.remove(name)
            for name in sorted(names):
                if not _inside(Path(folder, name), project):
                    refuse(Path(folder, name))
    return refused


def _inside(path: Path, project: Path) -> bool:
    try:
        return path.resolve().is_relative_to(project)
    except (OSError, RuntimeError):  # a link loop
        return False


def yaml_shape(text: str, loader: Any, max_depth: int) -> tuple[Any, str] | None:
    """(mark, message) for the first alias, or nesting deeper than ``max_depth`` (walking
    it would exhaust Python's stack), in a YAML document; None when there is neither.
    Read from the parser's events, before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark, (f"YAML aliases (*{event.anchor}) are not allowed: "
                                      "write the value out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                return event.start_mark, (f"lists and mappings are nested more than "
                                          f"{max_depth} levels deep here: no field needs that")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None

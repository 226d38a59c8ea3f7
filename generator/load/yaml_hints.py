"""Plain words for the YAML syntax errors editors actually make when switching fields on.

Templates list optional fields commented out. Two slips give parser jargon: deleting
only the ``#`` (a leading space is left: "mapping values are not allowed in this
context", "did not find expected key"), and switching on a list's lines but not the
key above them (``pricing:`` still commented). When the line the parser stopped at
looks like a field, ``explain`` says which of the two it is and what to change.
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*) *:(?: |$)")
_OPENER = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*) *:\s*(?:#.*)?$")
_JARGON = ("did not find expected key", "mapping values are not allowed",
           "expected <block end>", "did not find expected '-' indicator")


def explain(text: str, line: int, problem: str, *, line_offset: int = 0) -> str | None:
    """A plain explanation of a syntax error at 0-based ``line``, or None to keep the
    parser's. Line numbers in the message count from the file's start."""
    if not any(jargon in problem for jargon in _JARGON):
        return None
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    field = _FIELD.match(lines[line])
    if field is None or not field["indent"]:
        return None
    name = f"{field['dash'] or ''}{field['key']}:"
    indent = len(field["indent"])
    switched_off = _commented_parents(lines, line, indent)
    if switched_off:
        first_line, first_key = switched_off[-1]
        keys = " and ".join(f"`{key}` (line {n + 1 + line_offset})"
                            for n, key in reversed(switched_off))
        return (f"`{name}` belongs under {keys}, still switched off with `#`: delete the "
                f"`# ` in front of `{first_key}` too" if len(switched_off) == 1 else
                f"`{name}` belongs under {keys}, still switched off with `#`: delete the "
                "`# ` in front of those lines too")
    above = _field_above(lines, line)
    if above is None:
        return None
    above_line, above_indent, above_key, opens = above
    if opens and above_indent < indent:
        return None  # a child of a block: the problem is elsewhere
    spaces = indent - above_indent
    if spaces > 0:
        where = ("at the left edge" if above_indent == 0
                 else f"{above_indent} spaces in, like `{above_key}:`")
        return (f"`{name}` starts {spaces} space{'s' if spaces != 1 else ''} further in than "
                f"`{above_key}:` on line {above_line + 1 + line_offset}, which holds a value, "
                f"not fields: start it {where} (when switching a field on, delete the `#` "
                "and the space after it)")
    return (f"`{name}` is indented differently from the fields around it: line the fields "
            "of one block up under each other, with spaces")


def _commented_parents(lines: list[str], line: int, indent: int) -> list[tuple[int, str]]:
    """The switched-off keys (``# pricing:``) a field at ``indent`` would belong under,
    nearest first: each must hold its children at exactly that indentation."""
    found: list[tuple[int, str]] = []
    for n in range(line - 1, -1, -1):
        raw = lines[n]
        if not raw.strip():
            continue
        if not raw.lstrip().startswith("#"):
            break  # a live line: anything above it is not this field's parent
        body = _uncomment(raw)
        own = len(body) - len(body.lstrip(" "))
        if own >= indent:
            continue  # a sibling, or deeper
        item = re.match(r"( *- +)[A-Za-z_][\w-]* *:", body)
        opener = _OPENER.match(body)
        if item is not None:
            children = len(item[1])
        elif opener is not None:
            children = _indent_after(lines, n)
        else:
            break
        if children != indent:
            break
        found.append((n, body.strip().split(":")[0] + ":"))
        indent = own
        if indent == 0:
            break
    return found


def _uncomment(raw: str) -> str:
    return re.sub(r"^\s*# ?", "", raw) if raw.lstrip().startswith("#") else raw


def _indent_after(lines: list[str], n: int) -> int:
    """How far in the next line with content starts, switched off or not."""
    for raw in lines[n + 1:]:
        body = _uncomment(raw)
        if body.strip():
            return len(body) - len(body.lstrip(" "))
    return -1


def _field_above(lines: list[str], line: int) -> tuple[int, int, str, bool] | None:
    """The nearest live field above ``line``: (line, indent, key, opens a block)."""
    for n in range(line - 1, -1, -1):
        raw = lines[n]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        field = _FIELD.match(raw)
        if field is None:
            return None
        indent = len(field["indent"]) + len(field["dash"] or "")
        return n, indent, field["key"], _OPENER.match(raw) is not None
    return None

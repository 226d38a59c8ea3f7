"""Load stage: find content files and parse them into raw mappings with line marks.

``parse_*`` functions turn text into data and never touch the disk; ``load_project``
is the only function here that reads files. Nothing leaves this module as a bare
exception: every problem becomes a ``SourceError`` with a position.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from generator.errors import ContentError, SourceError, display_path, line_of
from generator.load.guards import (MAX_NESTING, control_characters, links_out, value_problem,
                                   yaml_shape)
from generator.load.memo import NoMemo, ParseMemo, T
from generator.load.yaml_hints import explain
from generator.urls import slug_problem

try:  # the C parser is ~10x faster; the constructor is Python either way
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Marks:
    """Where each key and value of a parsed document stands in its file."""

    path: str
    text: str
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The 1-based (line, col) of ``loc``, falling back to its nearest parent."""
        table = self.keys if key else self.values
        for end in range(len(loc), -1, -1):
            sub = tuple(loc[:end])
            if sub in table:
                return table[sub]
            if sub in self.values:
                return self.values[sub]
        return (1, 1)

    def error(self, loc: Loc, message: str, *, key: bool = False,
              severity: str = "error") -> SourceError:
        line, col = self.position(loc, key=key)
        return SourceError(self.path, line, col, message, severity,  # type: ignore[arg-type]
                           line_of(self.text, line))


@dataclass(frozen=True)
class RawDoc:
    """A YAML document as plain data, with the marks to report problems in it."""

    path: str
    data: Any
    marks: Marks


@dataclass(frozen=True)
class RawArticle:
    """An article: its front matter as a raw document, and the Markdown body."""

    slug: str
    front: RawDoc
    body: str
    body_line: int  # 1-based line of the body's first line in the file


@dataclass(frozen=True)
class RawProject:
    """Everything under ``content/``, parsed but not yet validated."""

    root: Path
    site: RawDoc | None
    benchmarks: RawDoc | None
    models: tuple[tuple[str, RawDoc], ...]
    articles: tuple[RawArticle, ...]
    templates_dir: Path | None
    errors: tuple[SourceError, ...] = ()  # files that could not be parsed
    model_slugs: tuple[str, ...] = ()  # every model file, parsed or not


# --------------------------------------------------------------------------- text


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), or an error at the first bad byte.

    Control characters (``guards.FORBIDDEN_RE``) are refused, each at its line and column.
    """
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Count lines and columns in characters of the text before the bad byte, the way
        # an editor shows them.
        lines = _normalise_newlines(body[: exc.start].decode("utf-8")).split("\n")
        raise ContentError([SourceError(
            path, len(lines), len(lines[-1]) + 1,
            f"file is not valid UTF-8 (byte 0x{body[exc.start]:02x}): save it as UTF-8")])
    text = _normalise_newlines(text)
    bad = control_characters(text, path)
    if bad:
        raise ContentError(bad)
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blank(text: str) -> bool:
    """Nothing but blank lines and comments."""
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def parse_yaml(text: str, path: str, *, line_offset: int = 0,
               full_text: str | None = None) -> RawDoc:
    """Parse one YAML document safely, recording the position of every key and value.

    Refuses what safe loading alone lets through: duplicate keys (PyYAML keeps the
    last silently), aliases (a 400-byte alias bomb expands to gigabytes when
    walked), and tags other than plain scalars, mappings and sequences.
    """
    shown = full_text if full_text is not None else text
    marks = Marks(path, shown)
    errors: list[SourceError] = []

    def err(mark: Any, message: str) -> None:
        line = mark.line + 1 + line_offset
        errors.append(SourceError(path, line, mark.column + 1, message,
                                  snippet=line_of(shown, line)))

    if _blank(text):
        raise ContentError([SourceError(path, 1 + line_offset, 1, "file is empty")])
    try:
        shape = yaml_shape(text, _Loader, MAX_NESTING)
        if shape is not None:  # reported once: an alias bomb has thousands
            err(*shape)
            raise ContentError(errors)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = _build(loader, node, (), marks, err, line_offset) if node else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        if mark is not None and _char_at(text, mark) == "\t":
            problem = "a tab character: YAML is indented with spaces only"
        elif mark is not None:
            problem = explain(text, mark.line, problem, line_offset=line_offset) or problem
        err(_within(mark, text), f"YAML syntax error: {problem}")
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked parser errors
        errors.append(SourceError(path, 1 + line_offset, 1, f"YAML error: {exc}"))
    if errors:
        raise ContentError(errors)
    if data is None:
        raise ContentError([SourceError(path, 1 + line_offset, 1, "file is empty")])
    return RawDoc(path, data, marks)


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


class _Mark:
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def _within(mark: Any, text: str) -> Any:
    """A mark moved back onto the last line when the parser points past the end."""
    last = max(0, len(text.rstrip("\n").split("\n")) - 1)
    if mark.line > last:
        return _Mark(last, len(text.rstrip("\n").split("\n")[last]))
    return mark


def _build(loader: Any, node: Any, loc: Loc, marks: Marks, err: Any, off: int) -> Any:
    """Turn a composed node into plain data, recording marks and refusing odd tags."""
    marks.values[loc] = (node.start_mark.line + 1 + off, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _YAML + "map":
            err(node.start_mark, _tag_message(node.tag))
            return {}
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key(loader, key_node, err)
            if key is None:
                continue
            if key in result:
                err(key_node.start_mark, f"duplicate key {key!r} (first defined on line "
                    f"{first_line[key]}): remove one of them")
                continue
            first_line[key] = key_node.start_mark.line + 1 + off
            marks.keys[loc + (key,)] = (first_line[key], key_node.start_mark.column + 1)
            result[key] = _build(loader, value_node, loc + (key,), marks, err, off)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _YAML + "seq":
            err(node.start_mark, _tag_message(node.tag))
            return []
        return [_build(loader, item, loc + (i,), marks, err, off)
                for i, item in enumerate(node.value)]
    return _scalar(loader, node, err)


def _tag_message(tag: str) -> str:
    return (f"YAML tag {tag.replace(_YAML, '!!')} is not allowed: only plain values (text, "
            "numbers, dates, true/false), lists and mappings may be used")


def _key(loader: Any, node: Any, err: Any) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        err(node.start_mark, "a key must be plain text, not a list or mapping")
        return None
    value = _scalar(loader, node, err)
    if not isinstance(value, str):
        hint = " (YAML reads it as true/false: quote it)" if isinstance(value, bool) else ""
        err(node.start_mark, f"key {node.value!r} must be text{hint}")
        return None
    return value


def _scalar(loader: Any, node: Any, err: Any) -> Any:
    if node.tag not in _SCALAR_TAGS:
        err(node.start_mark, _tag_message(node.tag))
        return None
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        err(node.start_mark, f"invalid value: {exc.problem}")
        return None
    except (ValueError, OverflowError) as exc:  # e.g. 2024-02-30 matches the date pattern
        if node.tag == _YAML + "timestamp":
            err(node.start_mark, f"{node.value!r} is not a real date ({exc})")
        else:
            err(node.start_mark, f"{node.value!r} is not a valid {node.tag.replace(_YAML, '')}")
        return None
    except Exception:  # an explicit tag on a value it cannot read: !!bool "maybe"
        kind = node.tag.replace(_YAML, "")
        err(node.start_mark, f"{node.value!r} cannot be read as {kind} (tag "
            f"!!{kind}): remove the tag or fix the value")
        return None
    problem = value_problem(value, node.value)
    if problem:
        err(node.start_mark, problem)
        return None
    return value


# --------------------------------------------------------------------------- articles

_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def parse_article(text: str, path: str, slug: str) -> RawArticle:
    """Split ``---`` front matter from the Markdown body and parse it."""
    match = _FRONT_RE.match(text)
    if not match and re.match(r"---[ \t]*\n", text):
        raise ContentError([SourceError(
            path, 1, 1, "the front matter opened on line 1 is never closed: add a line '---' "
            "after its last field", snippet=line_of(text, 1))])
    if not match:
        raise ContentError([SourceError(
            path, 1, 1, "an article must start with front matter: a line '---', YAML "
            "fields (title, date, ...), and a closing line '---'", snippet=line_of(text, 1))])
    front_text = match.group(1) or ""
    if _blank(front_text):
        raise ContentError([SourceError(path, 1, 1, "the front matter is empty: it needs at "
                                        "least title and date", snippet=line_of(text, 1))])
    front = parse_yaml(front_text, path, line_offset=1, full_text=text)
    body_line = text.count("\n", 0, match.end()) + 1
    return RawArticle(slug, front, text[match.end():], body_line)


# --------------------------------------------------------------------------- files


def _parsed(path: Path, errors: list[SourceError], memo: ParseMemo,
            parse: Callable[[str, str], T]) -> T | None:
    """``parse(text, shown path)`` of the file (through ``memo``); problems go to ``errors``."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.append(SourceError(shown, 1, 1, f"cannot read file: {exc.strerror}"))
        return None
    try:
        return memo.parse(shown, raw, lambda data: parse(decode(data, shown), shown))
    except ContentError as exc:
        errors.extend(exc.errors)
        return None


def _load_doc(path: Path, errors: list[SourceError], memo: ParseMemo, *, required: bool,
              refused: set[Path] = frozenset()) -> RawDoc | None:  # type: ignore[assignment]
    if path in refused:
        return None
    if not path.is_file():
        if required:
            hint = (f" (found {path.stem}.yml: rename it to {path.name})"
                    if path.with_suffix(".yml").is_file() else "")
            errors.append(SourceError(display_path(path), 1, 1, f"file is missing{hint}"))
        return None
    return _parsed(path, errors, memo, parse_yaml)


def _content_files(folder: Path, suffix: str, kind: str, errors: list[SourceError],
                   refused: set[Path] = frozenset()) -> list[tuple[str, Path]]:  # type: ignore[assignment]
    """The ``(slug, path)`` of each content file in ``folder``, checking names."""
    found: list[tuple[str, Path]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        shown = display_path(path)
        if path.suffix != suffix:
            errors.append(SourceError(shown, 1, 1, f"{kind} files must end in '{suffix}' "
                                      f"(rename to {path.stem}{suffix})"))
            continue
        problem = slug_problem(path.stem)
        if problem:
            errors.append(SourceError(shown, 1, 1, f"file name {path.stem!r} is not a valid "
                                      f"slug: it {problem}"))
            continue
        if path in refused:
            continue
        found.append((path.stem, path))
    return found


def load_project(root: Path, memo: ParseMemo | None = None) -> RawProject:
    """Read and parse every content file under ``root/content``.

    Files that cannot be parsed are left out and their errors kept in the result,
    so validation can still report the problems of every other file in one go.
    With ``memo`` (``versus serve``), files whose bytes it has seen are not parsed again.
    """
    content = root / "content"
    errors: list[SourceError] = []
    if not content.is_dir():
        raise ContentError([SourceError(display_path(content), 1, 1,
                                        "no content/ folder here (use --source DIR)")])
    memo = memo if memo is not None else NoMemo()
    memo.start()  # a load that stops half-way leaves the memo as it was
    refused = links_out(root, errors, display_path)
    site = _load_doc(content / "site.yaml", errors, memo, required=True, refused=refused)
    benchmarks = _load_doc(content / "benchmarks.yaml", errors, memo, required=False,
                           refused=refused)
    models = []
    model_files = _content_files(content / "models", ".yaml", "model", errors, refused)
    for slug, path in model_files:
        doc = _load_doc(path, errors, memo, required=True)
        if doc is not None:
            models.append((slug, doc))
    articles = []
    for slug, path in _content_files(content / "articles", ".md", "article", errors, refused):
        article = _parsed(path, errors, memo,
                          lambda text, shown, slug=slug: parse_article(text, shown, slug))
        if article is not None:
            articles.append(article)
    memo.finish()
    templates = root / "templates"
    if templates in refused:
        templates = root / "no-templates"  # never read: the errors stop the build
    return RawProject(root, site, benchmarks, tuple(models), tuple(articles),
                      templates if templates.is_dir() else None, tuple(errors),
                      tuple(slug for slug, _ in model_files))

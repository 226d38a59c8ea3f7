"""Shared fixtures: real small sites copied into a temp dir, and an HTML reader."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

# The build cache's key (generator/sealed.py) lives in a folder of the test run,
# never in the home folder of whoever runs the tests.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="versus-test-state-")
os.environ.pop("VERSUS_CACHE_KEY", None)

SITES = Path(__file__).parent / "sites"
EXPECTED = Path(__file__).parent / "expected"


def copy_site(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(SITES / name, target)
    return target


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (MkDocs-style mini sites)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@contextlib.contextmanager
def versus_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    """``versus ARGS`` running from this checkout, its output (both streams) as text on
    ``stdout``; killed on the way out if still running.

    Ctrl-C reaches it as a terminal sends it, with SIGINT's default action, whatever
    this test inherited (a shell's background job starts with SIGINT ignored, and so
    would the command)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    process = subprocess.Popen([sys.executable, "-m", "generator", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, for before/after comparisons."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def basic_site(tmp_path: Path) -> Path:
    return copy_site("basic", tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Element | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.content: list["str | Element"] = []  # text and children in document order

    @property
    def text(self) -> str:
        return " ".join("".join(self._texts()).split())

    def _texts(self):  # type: ignore[no-untyped-def]
        for item in self.content:
            if isinstance(item, str):
                yield item
            else:
                yield from item._texts()

    def iter(self, tag: str | None = None):  # type: ignore[no-untyped-def]
        for child in self.children:
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def find(self, tag: str, **attrs: str) -> "Element | None":
        return next(self.find_all(tag, **attrs), None)

    def find_all(self, tag: str, **attrs: str):  # type: ignore[no-untyped-def]
        for el in self.iter(tag):
            if all(el.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                yield el


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        el = Element(tag, dict(attrs), self.current)
        self.current.children.append(el)
        self.current.content.append(el)
        if tag not in _VOID:
            self.current = el

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        el = Element(tag, dict(attrs), self.current)
        self.current.children.append(el)
        self.current.content.append(el)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.current.content.append(data)


def parse_html(source: Path | str) -> Element:
    """Parse a page into a small element tree (stdlib only)."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root

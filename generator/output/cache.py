"""The build cache: what the last build put in the output, so the next renders only what changed.

It lives in ``.versus-cache/<output folder name>/`` beside the output folder
(safe to delete at any time; git ignores it) and holds two files:

* ``state.json``: a fingerprint of everything the last build read (the files
  under ``content/`` and ``templates/``, the generator's own code and the
  libraries that shape its output, the options), the identity of the output
  folder it wrote, and its report. When all of it matches, the build is a no-op
  that never even loads the catalogue (``up_to_date``).
* ``pages.bin``: for every file of the output, the cache key of the page that
  made it (``fingerprint.page_key``) and the digest and size of its bytes; its
  checksum is in ``state.json``.

Beside them, ``markdown.bin`` keeps editors' Markdown as rendered (it depends
on nothing but the text and the generator) and ``templates/`` Jinja's compiled
templates (which Jinja checks against their source).

Every file is sealed (``generator/sealed.py``): an HMAC under a key kept outside the
cache folder is checked before a byte of it is used, so a cache written by anyone
else (a poisoned CI cache) is ignored like a damaged one, and nothing from it is
unmarshalled or unpickled unchecked. ``versus build --clean`` deletes it all.

The cache is trusted only when its seals, its format, the generator's fingerprint, the
output folder's identity and the page table's checksum all match: a damaged,
stale or foreign cache makes the build replace the whole site, exactly as a
build without a cache. The identity is the content of the folder's
``.versus-build`` marker, which names the site by a digest of every file the
build wrote and is rewritten, last, by every build that changes a file (before
which the cache is invalidated), so a cache saved before the last build never
describes the site that build left, while a site and its cache copied or
restored together (a CI cache) still match. It assumes that nothing but Versus
writes into the output folder (``versus build --clean`` starts afresh).

This module imports only the standard library, so a no-op build stays fast.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import marshal
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from generator.errors import BuildError, SourceError
from generator.options import BuildOptions
from generator.output.report import BuildReport
from generator.output.write import MARKER
from generator.sealed import seal, sign_text, text_is_signed, unseal
from generator.stamps import CACHE_DIR, code_fingerprint, project_digest

FORMAT = 3  # bump when the files below change shape

PageRecord = tuple[bytes, bytes, int]  # page key, digest of the file's bytes, size


def cache_dir(out: Path) -> Path:
    return out.absolute().parent / CACHE_DIR / out.absolute().name


# --------------------------------------------------------------------------- fingerprints


@functools.cache
def generator_fingerprint() -> str:
    """The generator's own code and theme, Python's version and the libraries in use."""
    return code_fingerprint(str(FORMAT), _library_version)


def _library_version(module: str, distribution: str) -> str:
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    try:  # versions, not file times: a fresh install of the same libraries (CI) matches
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        version = None
    return f"{module}\x1f{origin}\x1f{version}\x1f"


def source_fingerprint(options: BuildOptions) -> str:
    """Everything a build reads: content and template files, the generator, the options.

    Content is hashed, not timestamped: a checkout or copy that keeps times must
    still count as a change. The working folder is included because messages
    name files relative to it.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(generator_fingerprint().encode())
    settings = {"out": str(options.out.absolute()), "cwd": os.getcwd(),
                "base_url": options.base_url, "drafts": options.drafts}
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    project_digest(h, options.source)
    return h.hexdigest()


def output_identity(out: Path) -> str | None:
    """Which site the output folder holds: its marker, which names the site by a digest of
    its files (``write.marker_bytes``). Read from the file rather than from inodes, so a
    site and cache restored together (a CI cache) are still recognised."""
    try:
        return (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# --------------------------------------------------------------------------- the cache


@dataclass(frozen=True)
class Previous:
    """What the last build left, when the cache vouches for it."""

    state: dict[str, Any]
    pages: dict[str, PageRecord]  # output path -> record


class BuildCache:
    """The cache of one output folder."""

    def __init__(self, out: Path):
        self.out = out.absolute()
        self.dir = cache_dir(out)
        self.state_path = self.dir / "state.json"
        self.pages_path = self.dir / "pages.bin"

    def state(self) -> dict[str, Any] | None:
        """The last build's state, if it is sealed, readable and describes this output as it is."""
        try:
            sealed = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(sealed, dict) or not isinstance(sealed.get("state"), str):
            return None
        if not text_is_signed("state", sealed["state"], sealed.get("seal")):
            return None
        try:
            state = json.loads(sealed["state"])
        except ValueError:
            return None
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            return None
        if state.get("generator") != generator_fingerprint():
            return None
        if state.get("output") != output_identity(self.out):
            return None
        return state

    def previous(self) -> Previous | None:
        """The last build's page table, if the cache is intact and current."""
        state = self.state()
        if state is None:
            return None
        try:
            raw = unseal("pages", self.pages_path.read_bytes())
        except OSError:
            return None
        if raw is None:
            return None
        if hashlib.blake2b(raw, digest_size=16).hexdigest() != state.get("pages_checksum"):
            return None
        try:
            pages = marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(pages, dict):
            return None
        return Previous(state, pages)

    def markdown(self) -> list[tuple]:
        """Editors' Markdown as the last build rendered it (``markup.rendered_entries``)."""
        try:
            raw = unseal("markdown", (self.dir / "markdown.bin").read_bytes())
            if raw is None:
                return []
            fingerprint, entries = marshal.loads(raw)
        except (OSError, EOFError, ValueError, TypeError):
            return []
        if fingerprint != generator_fingerprint() or not isinstance(entries, list):
            return []
        return entries

    def save_markdown(self, entries: list[tuple]) -> None:
        blob = seal("markdown", marshal.dumps((generator_fingerprint(), entries)))
        if blob is None:  # no key: no cache
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.dir / "markdown.bin", blob)

    def clear(self) -> None:
        """Delete everything cached for this output (``--clean``)."""
        try:
            if self.dir.is_symlink() or self.dir.is_file():
                self.dir.unlink()
            elif self.dir.exists():
                shutil.rmtree(self.dir)
        except OSError as exc:
            raise BuildError(f"cannot clear the build cache {self.dir} ({exc.strerror})") from None

    def invalidate(self) -> None:
        """Forget the last build (before changing the output in place)."""
        try:
            self.state_path.unlink()
        except OSError:  # already gone, or no folder at all: nothing will be read either way
            pass

    def save(self, source: str, pages: Mapping[str, PageRecord], report: BuildReport) -> None:
        """Record what this build wrote; the state goes last, so a torn save is ignored."""
        raw = marshal.dumps(dict(pages))
        blob = seal("pages", raw)
        if blob is None:  # no key: no cache
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.pages_path, blob)
        state = {
            "format": FORMAT,
            "generator": generator_fingerprint(),
            "source": source,
            "output": output_identity(self.out),
            "pages_checksum": hashlib.blake2b(raw, digest_size=16).hexdigest(),
            "report": {"pages": report.pages_written, "files": report.files_written,
                       "bytes": report.bytes_written, "base_path": report.base_path,
                       "warnings": [_warning_record(w) for w in report.warnings]},
        }
        text = json.dumps(state, indent=1)
        sealed = {"seal": sign_text("state", text), "state": text}
        _write_atomically(self.state_path, json.dumps(sealed, indent=1).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _warning_record(w: SourceError) -> list[Any]:
    return [w.path, w.line, w.col, w.message, w.severity, w.snippet]


# --------------------------------------------------------------------------- no-op builds


def up_to_date(options: BuildOptions, *, stamp: str,
               started: float | None = None) -> BuildReport | None:
    """The report of the last build if nothing it read has changed since; else None.

    Under ``strict``, a build that had warnings is never up to date: it must fail again.
    ``stamp`` is ``source_fingerprint(options)``, taken once per command.
    """
    started = time.perf_counter() if started is None else started
    out = options.out
    state = BuildCache(out).state()
    if state is None or state.get("source") != stamp:
        return None
    stored = state.get("report") or {}
    try:
        warnings = tuple(SourceError(*w) for w in stored.get("warnings", []))
        report = BuildReport(warnings=warnings, pages_written=int(stored["pages"]),
                             files_written=int(stored["files"]), bytes_written=int(stored["bytes"]),
                             out_dir=str(out), base_path=str(stored["base_path"]),
                             up_to_date=True)
    except (KeyError, TypeError, ValueError):
        return None
    if options.strict and warnings:
        return None
    return dataclasses.replace(report, seconds=time.perf_counter() - started)

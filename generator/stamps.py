"""Digests of what a command reads: the generator's own code and the project's files.

Shared by the build cache (``output/cache.py``) and the check memo (``checkmemo.py``),
which both decide from these alone, before importing the pipeline, whether the last
run's result still holds. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any, Callable

from generator import __version__

CACHE_DIR = ".versus-cache"  # beside the output folder: the build cache, and the check memo
# Libraries whose upgrade can change the bytes of a page or the words of a message.
LIBRARIES = {"jinja2": "Jinja2", "markupsafe": "MarkupSafe", "markdown": "Markdown", "nh3": "nh3",
             "pydantic": "pydantic", "pydantic_core": "pydantic_core", "yaml": "PyYAML"}
PACKAGE = Path(__file__).parent  # generator/


def code_fingerprint(tag: str, library: Callable[[str, str], str]) -> str:
    """The generator's own code and theme, Python's version and the libraries in use
    (each as ``library(module, distribution)`` says), under ``tag`` (a format number)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{tag}\x1f{__version__}\x1f{sys.version}\x1f".encode())
    for path in files(PACKAGE):
        if path.suffix == ".py" or "theme" in path.relative_to(PACKAGE).parts:
            feed_file(h, path, PACKAGE)
    for module, distribution in LIBRARIES.items():
        h.update(library(module, distribution).encode())
    return h.hexdigest()


def files(root: Path) -> list[Path]:
    """Every file below ``root`` (following links), in a stable order; none if it is absent."""
    found = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(Path(folder, n) for n in sorted(names))
    return found


def feed_file(h: Any, path: Path, root: Path) -> None:
    """Add ``path`` (its name under ``root``, where it points, its bytes) to the digest ``h``."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # unreadable now: the build proper reports it
        data = f"unreadable: {exc}".encode()
    # Where a link points counts too: the same bytes through a link out of the project
    # are refused by the load stage, so they must not make a build look up to date.
    real = os.path.realpath(path)
    target = real if real != os.path.abspath(path) else ""
    h.update(f"\x1f{path.relative_to(root).as_posix()}\x1f{target}\x1f{len(data)}\x1f".encode())
    h.update(data)


def project_digest(h: Any, source: Path) -> None:
    """Add every file under ``source``'s ``content/`` and ``templates/`` to the digest ``h``."""
    for folder in ("content", "templates"):
        root = source / folder
        h.update(f"\x1e{folder}\x1e".encode())
        for path in files(root):
            feed_file(h, path, root)

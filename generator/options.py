"""The settings of one build, chosen once (by the CLI, ``versus serve`` or a test) and passed along."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """What to build, where, and how."""

    source: Path  # the project: content/ and optionally templates/
    out: Path  # the output folder
    base_url: str | None = None  # overrides site.yaml's (preview deploys)
    drafts: bool = False  # also build articles marked draft: true
    strict: bool = False  # warnings fail the build
    check_links: bool = False  # check the new site's links before it replaces the old one
    cache: bool = True  # use and keep the build cache (build only what changed)
    workers: int | None = None  # processes that render pages (default: one per core)
    check_cache: bool = False  # render every page anyway; fail if the cache kept a wrong one
    # compile the templates in another process meanwhile (cold builds); a preview, which
    # rebuilds in a thread and must stop promptly on Ctrl-C, compiles them itself
    precompile: bool = True

    @classmethod
    def of(cls, source: Path, out: Path | None = None, **settings: Any) -> "BuildOptions":
        """Options for ``source``, the output folder defaulting to ``source/site``."""
        return cls(source=source, out=output_folder(source, out), **settings)


def output_folder(source: Path, out: Path | None) -> Path:
    """Where a build of ``source`` writes: ``out``, or ``source/site``."""
    return out if out is not None else source / "site"

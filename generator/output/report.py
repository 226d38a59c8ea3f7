"""What a build or check tells the person who ran it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import SourceError
from generator.output.linkcheck import LinkReport


@dataclass(frozen=True)
class BuildReport:
    """What a build or check found and did."""

    warnings: tuple[SourceError, ...] = ()
    pages_written: int = 0
    files_written: int = 0
    bytes_written: int = 0
    seconds: float = 0.0
    out_dir: str = ""
    # what the build did: a first build renders and writes every file
    pages_rendered: int = 0
    files_updated: int = 0  # files written because their bytes changed
    files_removed: int = 0
    incremental: bool = False  # the build cache said which pages to render
    in_place: bool = False  # the existing site was updated, not replaced
    up_to_date: bool = False  # nothing the build reads had changed: nothing was done
    links: LinkReport | None = None  # with --check-links
    base_path: str = "/"  # the URL path the site was built for

"""What a deploy needs beyond a build: the Pages address, an example base_url, a job summary.

A deploy must never break because time passed: in the Pages workflow only content
errors fail a step, and warnings (stale dates among them) are shown as annotations
on the pull request and listed in the run's job summary (``$GITHUB_STEP_SUMMARY``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from generator.errors import ContentError, SourceError
from generator.load.sources import decode, display_path, parse_yaml
from generator.output.report import BuildReport

# Hosts reserved for examples (RFC 2606) and the example's own GitHub Pages address.
_EXAMPLE_HOST = re.compile(r"(^|\.)example(\.(com|org|net|github\.io))?$|\.example$")
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def pages_base_url(source: Path, pages_url: str | None) -> str | None:
    """The base URL a deploy uses: GitHub Pages' address (``actions/configure-pages``'
    ``base_url`` output), unless ``site.yaml`` sets ``custom_domain``; ``None`` keeps
    ``site.yaml``'s ``base_url``.

    The Pages address comes without a trailing slash (``https://user.github.io/repo``);
    Versus wants one. An empty address (Pages not set up, on a pull request) is None.
    """
    if not pages_url or not pages_url.strip():
        return None
    site = _site_data(source)
    if isinstance(site, dict) and site.get("custom_domain"):
        return None
    return pages_url.strip().rstrip("/") + "/"


def example_base_url_warning(source: Path, base_url: str | None) -> SourceError | None:
    """A warning while ``base_url`` is still an example address.

    The link check cannot catch a wrong base: every link agrees with it. Only the
    address actually used counts (``--base-url``, or the Pages address in the workflow).
    """
    path = source / "content" / "site.yaml"
    if not path.is_file():
        return None
    shown = display_path(path)
    try:
        doc = parse_yaml(decode(path.read_bytes(), shown), shown)
    except ContentError:
        return None  # the check reports it
    url = base_url if base_url is not None else (
        doc.data.get("base_url") if isinstance(doc.data, dict) else None)
    host = urlsplit(url).hostname if isinstance(url, str) else None
    if host is None or not _EXAMPLE_HOST.search(host):
        return None
    return doc.marks.error(
        ("base_url",), f"base_url {url} is an example address: set it to where the site "
        "will be served, such as https://<user>.github.io/<repository>/ (every link and the "
        "sitemap use it, so the link check cannot notice a wrong one; the Pages workflow "
        "uses the address GitHub Pages gives it)", severity="warning")


def with_base_url_warning(report: BuildReport, source: Path, base_url: str | None, *,
                          strict: bool) -> BuildReport:
    """``report`` plus the example-address warning, if any (an error under ``strict``)."""
    warning = example_base_url_warning(source, base_url)
    if warning is None:
        return report
    if strict:
        raise ContentError([dataclasses.replace(warning, severity="error")])
    return dataclasses.replace(report, warnings=(*report.warnings, warning))


def write_job_summary(heading: str, problems: Iterable[SourceError]) -> None:
    """Append problems to the GitHub Actions job summary, when there is one."""
    target = os.environ.get(SUMMARY_ENV)
    problems = list(problems)
    if not target or not problems:
        return
    lines = [f"### {heading}", ""]
    for problem in problems:
        kind = "⚠️" if problem.severity == "warning" else "❌"
        lines.append(f"- {kind} `{problem.path}:{problem.line}:{problem.col}`: "
                     f"{_markdown_text(problem.message)}")
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")


def _markdown_text(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def _site_data(source: Path) -> object:
    path = source / "content" / "site.yaml"
    try:
        return parse_yaml(decode(path.read_bytes(), str(path)), str(path)).data
    except (OSError, ContentError):
        return None  # the build reports it

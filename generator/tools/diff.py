"""``versus diff``: what a change does to the built site, for whoever reviews it.

Works on any two builds: it reads each site's page list and ``api/models.json``
(the export in the content format), so it compares two output folders, or the
current content with the content at a git ref (built in a temporary folder from
``git archive``; the working tree and ``site/`` are never touched). It reports pages
added and removed, models added and removed, models whose scores or rank changed,
figures that changed (before → after) and, against a git ref, the new warnings.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from generator.errors import BuildError, SourceError

SCORES = ("overall", "quality", "cost", "speed", "context", "openness")
# Prose fields: a change is named, not shown.
_TEXT = ("summary", "capabilities", "faq", "sources", "license")
_SKIP = ("slug", "url", "computed", "name", *_TEXT)
_LIST_KEYS = {"pricing": ("provider",), "speed": ("provider",),
              "self_hosting": ("gpu", "gpus", "precision")}
_SHOWN = 25  # pages listed by name; the rest are counted


@dataclass(frozen=True)
class Snapshot:
    """What a diff reads of one built site."""

    pages: frozenset[str]  # URL paths of its HTML pages, redirects left out
    models: dict[str, dict[str, Any]]  # models.json objects by slug


@dataclass
class SiteDiff:
    """Everything that differs between two builds, in stable order."""

    pages_before: int = 0
    pages_after: int = 0
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    models_added: list[str] = field(default_factory=list)  # "Name (slug): overall …"
    models_removed: list[str] = field(default_factory=list)
    scores: list[str] = field(default_factory=list)  # one line per model
    figures: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    note: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.pages_added or self.pages_removed or self.models_added
                    or self.models_removed or self.scores or self.figures or self.texts
                    or self.warnings)


# --------------------------------------------------------------------------- reading


def read_site(folder: Path) -> Snapshot:
    """The page list and models of a built site; a folder that is not one is an error."""
    export = folder / "api" / "models.json"
    if not (folder / "index.html").is_file() or not export.is_file():
        raise BuildError(f"{folder} is not a built site (no index.html or api/models.json)")
    pages = frozenset(_url(p.relative_to(folder)) for p in folder.rglob("*.html")
                      if not _is_redirect(p))
    try:
        models = {m["slug"]: m for m in json.loads(export.read_text(encoding="utf-8"))}
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{export} is not a models export ({exc})") from None
    return Snapshot(pages, models)


def _url(relative: Path) -> str:
    path = relative.as_posix()
    return "/" + (path[: -len("index.html")] if path.endswith("index.html") else path)


def _is_redirect(path: Path) -> bool:
    with path.open("rb") as handle:
        return b'http-equiv="refresh"' in handle.read(2048)


# --------------------------------------------------------------------------- comparing


def diff_sites(before: Snapshot, after: Snapshot) -> SiteDiff:
    """Compare two builds: pages, models, scores and ranks, figures, prose."""
    result = SiteDiff(len(before.pages), len(after.pages),
                      sorted(after.pages - before.pages), sorted(before.pages - after.pages))
    ranks_before, ranks_after = ranks(before.models), ranks(after.models)
    for slug in sorted(after.models.keys() - before.models.keys()):
        model = after.models[slug]
        result.models_added.append(f"{_who(model)}: {_standing(model, ranks_after, slug)}")
    for slug in sorted(before.models.keys() - after.models.keys()):
        model = before.models[slug]
        result.models_removed.append(f"{_who(model)}: was {_standing(model, ranks_before, slug)}")
    for slug in sorted(before.models.keys() & after.models.keys()):
        old, new = before.models[slug], after.models[slug]
        changes = _score_changes(old, new)
        rank = (_rank_text(ranks_before.get(slug), len(ranks_before)),
                _rank_text(ranks_after.get(slug), len(ranks_after)))
        if rank[0] != rank[1]:
            changes.append(f"rank {rank[0]} → {rank[1]}")
        if changes:
            result.scores.append(f"{_who(new)}: " + ", ".join(changes))
        figures = _changed(figures_of(old), figures_of(new))
        if figures:
            result.figures.append(f"{_who(new)}: " + "; ".join(figures))
        texts = [key for key in _TEXT if old.get(key) != new.get(key)]
        if old.get("name") != new.get("name"):
            texts.insert(0, f"name ({old.get('name')} → {new.get('name')})")
        if texts:
            result.texts.append(f"{_who(new)}: " + ", ".join(texts))
    return result


def ranks(models: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Leaderboard positions by overall score as shown (one decimal); ties share one."""
    shown = {slug: _round(_score(m, "overall")) for slug, m in models.items()}
    ranked = [s for s in shown.values() if s is not None]
    return {slug: 1 + sum(1 for other in ranked if other > score)
            for slug, score in shown.items() if score is not None}


def figures_of(model: dict[str, Any]) -> dict[str, Any]:
    """Every figure of a model, flattened to ``field.sub`` names (prose left out)."""
    flat: dict[str, Any] = {}
    for key, value in model.items():
        if key not in _SKIP:
            _flatten(key, value, flat, _LIST_KEYS.get(key))
    computed = model.get("computed") or {}
    for key in ("blended_usd_per_mtok", "vram_gb", "self_hosting_usd_per_mtok"):
        _flatten(key, computed.get(key), flat, None)
    return flat


def _flatten(name: str, value: Any, flat: dict[str, Any], keys: tuple[str, ...] | None) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{name}.{key}", sub, flat, None)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            label = " ".join(str(item.get(k)) for k in keys) if keys else str(i + 1)
            _flatten(f"{name}[{label}]", {k: v for k, v in item.items()
                                          if k not in (keys or ())}, flat, None)
    else:
        flat[name] = value


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            out.append(f"{key} {_value(old.get(key))} → {_value(new.get(key))}")
    return out


def _score_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for name in SCORES:
        before, after = _round(_score(old, name)), _round(_score(new, name))
        if before != after:
            out.append(f"{name} {_score_text(before)} → {_score_text(after)}")
    return out


def _score(model: dict[str, Any], name: str) -> float | None:
    return ((model.get("computed") or {}).get("scores") or {}).get(name)


def _score_text(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _standing(model: dict[str, Any], positions: dict[str, int], slug: str) -> str:
    overall = _round(_score(model, "overall"))
    if overall is None:
        return "unranked (no overall score)"
    return f"overall {overall:.1f}, rank {positions[slug]} of {len(positions)}"


def _rank_text(rank: int | None, total: int) -> str:
    return "unranked" if rank is None else f"{rank} of {total}"


def _who(model: dict[str, Any]) -> str:
    return f"{model.get('name')} (`{model.get('slug')}`)"


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


# --------------------------------------------------------------------------- report


def format_diff(diff: SiteDiff, *, before: str, after: str) -> str:
    """The diff as Markdown: readable in a terminal, rendered in a job summary."""
    lines = [f"## Site changes: {before} → {after}", ""]
    if diff.note:
        lines += [diff.note, ""]
    if diff.empty:
        return "\n".join(lines + ["No pages, models, scores, figures or warnings changed.", ""])
    lines.append(f"Pages: {diff.pages_before} → {diff.pages_after} "
                 f"({len(diff.pages_added)} added, {len(diff.pages_removed)} removed)")
    lines += [""] + _pages("+", diff.pages_added) + _pages("-", diff.pages_removed)
    sections = [("Models added", diff.models_added), ("Models removed", diff.models_removed),
                ("Scores and ranks (before → after)", diff.scores),
                ("Figures (before → after)", diff.figures), ("Text changed", diff.texts),
                ("New warnings", [_warning(w) for w in diff.warnings])]
    for title, items in sections:
        if items:
            lines += [f"### {title}", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(lines)


def _pages(sign: str, pages: list[str]) -> list[str]:
    if not pages:
        return []
    shown = [f"    {sign} {page}" for page in pages[:_SHOWN]]
    if len(pages) > _SHOWN:
        shown.append(f"    {sign} … and {len(pages) - _SHOWN} more")
    return shown + [""]


def _warning(problem: SourceError) -> str:
    return f"`{problem.path}:{problem.line}:{problem.col}`: {problem.message}"


def new_warnings(before: Iterable[SourceError], after: Iterable[SourceError], *,
                 before_root: Path | None = None, after_root: Path | None = None,
                 ) -> list[SourceError]:
    """Warnings of ``after`` that ``before`` did not have (lines may have moved), each
    side's paths taken relative to its own folder."""
    seen = {(_relative(w.path, before_root), w.message) for w in before}
    return sorted(w for w in after if (_relative(w.path, after_root), w.message) not in seen)


def _relative(path: str, root: Path | None) -> str:
    return path if root is None else os.path.relpath(os.path.abspath(path), root.resolve())


# --------------------------------------------------------------------------- git


def export_ref(source: Path, ref: str, dest: Path) -> Path:
    """Write the tree of ``source`` at git ``ref`` into ``dest`` (``git archive``)."""
    prefix = _git(source, "rev-parse", "--show-prefix").decode().strip()
    try:
        _git(source, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except BuildError:
        raise BuildError(f"{ref} is not a commit, branch or tag here (for a pull request's "
                         "base, fetch it first: git fetch origin main)") from None
    tree = f"{ref}:{prefix}" if prefix else ref
    archive = _git(source, "archive", "--format=tar", tree)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python before 3.11.4
            tar.extractall(dest)  # noqa: S202 - our own repository's tree
    return dest


def _git(source: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(source), *args], capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise BuildError("git is not installed: versus diff --against needs it") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise BuildError(f"git {args[0]} failed ({detail[-1] if detail else 'no message'})")
    return done.stdout


# --------------------------------------------------------------------------- builds


def report(source: Path, *, before: Path | None = None, after: Path | None = None,
           against: str | None = None, site: Path | None = None, today: Any = None) -> str:
    """``versus diff``: two built folders, or the content against git ``against``."""
    if against is None:
        assert before is not None and after is not None
        result = diff_sites(read_site(before), read_site(after))
        return format_diff(result, before=str(before), after=str(after))
    result = diff_against(source, against, site=site, today=today)
    return format_diff(result, before=against, after="this change")


def diff_against(source: Path, ref: str, *, site: Path | None = None,
                 base_url: str | None = None, today: Any = None) -> SiteDiff:
    """The current content of ``source`` (or its built ``site``) against git ``ref``.

    Both sides are built into a temporary folder with the same base URL, without a
    cache; a base that does not build is reported in the diff's note, not raised.
    """
    with tempfile.TemporaryDirectory(prefix="versus-diff-") as work:
        return _diff_against(source, ref, Path(work), site=site, base_url=base_url, today=today)


def _diff_against(source: Path, ref: str, work: Path, *, site: Path | None,
                  base_url: str | None, today: Any) -> SiteDiff:
    from generator.analyse import analyse
    from generator.build import build
    from generator.errors import ContentError

    old_source = export_ref(source, ref, work / "before")
    if site is None:
        site = work / "after-site"
        build(source, site, base_url=base_url, cache=False, workers=1)
    after = read_site(site)
    base = base_url or _export_base(site)
    warnings_after = analyse(source, base_url=base, today=today)[2]
    try:
        build(old_source, work / "before-site", base_url=base, cache=False, workers=1)
        warnings_before = analyse(old_source, base_url=base, today=today)[2]
    except ContentError as exc:
        result = diff_sites(Snapshot(frozenset(), {}), after)
        result.note = (f"The content at {ref} does not build ({len(exc.errors)} error(s)), so "
                       "everything is listed as new.")
        return result
    result = diff_sites(read_site(work / "before-site"), after)
    result.warnings = new_warnings(warnings_before, warnings_after,
                                   before_root=old_source, after_root=source)
    return result


def _export_base(site: Path) -> str | None:
    """The base URL a built site was made with, read back from its export."""
    models = json.loads((site / "api" / "models.json").read_text(encoding="utf-8"))
    if models and isinstance(models[0].get("url"), str):
        url = models[0]["url"]
        return url[: url.rfind("/models/") + 1] if "/models/" in url else None
    return None

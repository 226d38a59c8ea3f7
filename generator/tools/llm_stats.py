"""``versus import llm-stats``: models from the LLM Stats dataset into ``content/``.

Reads an unpacked snapshot or a clone (``llm_stats_read``), converts each chosen
model to our format (``llm_stats_map``), writes ``content/models/<slug>.yaml`` and
appends the benchmarks it needs to ``content/benchmarks.yaml`` (``llm_stats_yaml``).

Nothing is written before the whole result has been validated: the new files are
first put into a copy of ``content/`` and checked there with the build's own checks,
whose warnings join the import summary. Bad input (not the dataset, malformed JSON,
an unknown model id) is one ``BuildError`` naming the file or id.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from generator.errors import BuildError, SourceError
from generator.tools.llm_stats_map import Hygiene, context, convert_model
from generator.tools.llm_stats_names import benchmark_entry, model_slugs
from generator.tools.llm_stats_read import REPOSITORY, read_dataset
from generator.tools.llm_stats_yaml import dump_benchmarks, dump_model, ignored, merge_model

HEADER = ("# yaml-language-server: $schema=../../schema/model.schema.json\n"
          "# Imported with `versus import llm-stats` from the LLM Stats dataset\n"
          f"# ({REPOSITORY}, CC BY 4.0), model id {{model_id}}.\n"
          "# `versus import llm-stats --update` refreshes the figures whose source is the\n"
          "# dataset; give a figure another source to keep your own value, and list what\n"
          "# it must not add back on a line like: # llm-stats ignore: benchmarks/gpqa, speed/*\n")
BENCHMARKS_HEADER = ("# Added by `versus import llm-stats`: benchmark definitions from the LLM Stats\n"
                     f"# dataset ({REPOSITORY},\n"
                     "# CC BY 4.0). Scores on 0..1 there are percentages here (scale_max 100).\n")


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do), for the summary."""

    written: dict[Path, str] = field(default_factory=dict)  # path -> new text
    created: list[str] = field(default_factory=list)  # model slugs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    benchmarks_added: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    hygiene: Hygiene = field(default_factory=Hygiene)
    warnings: list[SourceError] = field(default_factory=list)

    def summary(self) -> list[str]:
        lines = [f"Models: {len(self.created)} new, {len(self.updated)} updated, "
                 f"{len(self.unchanged)} unchanged; benchmarks added to benchmarks.yaml: "
                 f"{len(self.benchmarks_added)}"]
        if self.hygiene.counts:
            lines.append("Left out or changed, by reason:")
            lines += self.hygiene.lines()
        if self.warnings:
            lines.append(f"versus check on the result: {len(self.warnings)} warning(s):")
            lines += warning_kinds(self.warnings)
        else:
            lines.append("versus check on the result: no warnings")
        return lines


def import_llm_stats(dataset_path: Path, source: Path, *, model_ids: list[str] | None = None,
                     everything: bool = False, update: bool = False, dry_run: bool = False,
                     ref: str | None = None, today: dt.date | None = None) -> ImportResult:
    """Import models of the dataset at ``dataset_path`` into the site at ``source``."""
    content = source / "content"
    if not (content / "site.yaml").is_file():
        raise BuildError(f"{content / 'site.yaml'} is missing: import into a site folder "
                         "(one with content/site.yaml), or pass --source")
    dataset = read_dataset(dataset_path)
    slugs = model_slugs(dataset.models)
    chosen = _chosen(dataset.models, slugs, content, model_ids, everything, update, dataset_path)
    ctx = context(dataset, ref)
    registry_path = content / "benchmarks.yaml"
    registry = _registry(registry_path)
    result = ImportResult()
    needed: dict[str, dict[str, Any]] = {}
    for model_id in chosen:
        slug = slugs[model_id]
        new = convert_model(ctx, model_id, result.hygiene)
        _fit_registry(new, slug, ctx, registry, needed, result)
        path = content / "models" / f"{slug}.yaml"
        if not path.exists():
            result.written[path] = dump_model(new, HEADER.format(model_id=model_id))
            result.created.append(slug)
        elif not update:
            result.hygiene.note("model skipped", "already in the site (--update refreshes it)",
                                slug)
        else:
            _update(path, new, slug, result)
    if needed:
        result.benchmarks_added = sorted(needed)
        result.written[registry_path] = _appended(registry_path, {k: needed[k] for k in
                                                                 sorted(needed)})
    result.warnings = _check(source, result.written, today)
    if not dry_run:
        for path, text in result.written.items():
            _write(path, text)
    return result


def _chosen(models: Mapping[str, Any], slugs: Mapping[str, str], content: Path,
            model_ids: list[str] | None, everything: bool, update: bool,
            dataset_path: Path) -> list[str]:
    if model_ids:
        for model_id in model_ids:
            if model_id not in models:
                close = difflib.get_close_matches(model_id, list(models), n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise BuildError(f"unknown model id {model_id!r}: no such model in "
                                 f"{dataset_path / 'data' / 'organizations'}{hint}")
        return list(dict.fromkeys(model_ids))
    if everything:
        return sorted(models)
    if update:  # every model of the site that came from the dataset
        return sorted(i for i, s in slugs.items() if (content / "models" / f"{s}.yaml").exists())
    raise BuildError("choose the models to import: --models ID,ID (dataset model ids) or --all")


def _registry(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML, fix it first ({exc})") from None
    if not isinstance(data, dict):
        raise BuildError(f"{path}: expected a mapping of benchmark keys")
    return data


def _fit_registry(new: dict[str, Any], slug: str, ctx: Any, registry: Mapping[str, Any],
                  needed: dict[str, dict[str, Any]], result: ImportResult) -> None:
    """Put the model's scores on the scale of the keys the site already defines, and note
    the definitions it still needs. A key defined the other way round is left out."""
    by_key = {key: bench_id for bench_id, key in ctx.keys.items()}
    for key, entry in list(new.get("benchmarks", {}).items()):
        ours = benchmark_entry(ctx.dataset.benchmarks[by_key[key]])
        theirs = registry.get(key)
        if not isinstance(theirs, dict):
            needed.setdefault(key, ours)
            continue
        if theirs.get("higher_is_better", True) != ours["higher_is_better"]:
            result.hygiene.note("result skipped", "benchmarks.yaml defines the key with the "
                                "other direction", f"{slug} {key}")
            del new["benchmarks"][key]
            continue
        site_max = theirs.get("scale_max", 100)
        if site_max != ours["scale_max"]:
            entry["score"] = round(entry["score"] / ours["scale_max"] * site_max, 4)
    if not new.get("benchmarks"):
        new.pop("benchmarks", None)


def _update(path: Path, new: dict[str, Any], slug: str, result: ImportResult) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        old = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML, fix it before --update ({exc})") from None
    if not isinstance(old, dict):
        raise BuildError(f"{path}: expected a mapping of fields, fix it before --update")
    header_lines = _leading_comments(text)
    merged, changes = merge_model(old, new, slug, ignored(header_lines))
    if merged == old:
        result.unchanged.append(slug)
        return
    header = "".join(line + "\n" for line in header_lines)
    result.written[path] = dump_model(merged, header)
    result.updated.append(slug)
    result.changes += changes


def _leading_comments(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _appended(path: Path, entries: dict[str, dict[str, Any]]) -> str:
    """benchmarks.yaml with ``entries`` added at its end; what was there stays byte for byte."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    header = BENCHMARKS_HEADER if BENCHMARKS_HEADER not in old else ""
    return (old + ("\n" if old else "") + header + dump_benchmarks(entries))


def _check(source: Path, written: Mapping[Path, str], today: dt.date | None) -> list[SourceError]:
    """The build's checks on a copy of ``content/`` with the new files in it.

    Raises ``ContentError`` (nothing is written then) if the result would not build.
    """
    from generator.analyse import analyse

    with tempfile.TemporaryDirectory(prefix="versus-import-") as tmp:
        copy = Path(tmp)
        shutil.copytree(source / "content", copy / "content")
        for path, text in written.items():
            target = copy / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _, _, warnings = analyse(copy, today=today)
    # Shown as paths of the real site, not of the copy.
    return [SourceError(str(Path(source) / Path(w.path).relative_to(copy))
                        if Path(w.path).is_relative_to(copy) else w.path,
                        w.line, w.col, w.message, w.severity, w.snippet) for w in warnings]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


_KINDS = (("no benchmarks", "no benchmarks (model unranked)"),
          ("no pricing", "no pricing (model unranked)"),
          ("catalogue's median", "price far outside the catalogue's range"),
          ("model's other offers", "price far from the model's other offers"),
          ("contradicts", "parameters contradict a size in the name"),
          ("scale is about 1/", "score that looks like another scale"),
          ("looks like a fraction of 1", "score that looks like another scale"),
          ("before the model's release", "figure dated before the model's release"),
          ("is also the speed of", "one speed repeated on unrelated models"),
          ("reads as the vendor speaking", "first-person vendor text"),
          ("model here accepts it", "audio or video input no other model of its vendor takes"),
          ("is weighted but only", "a weighted dimension most models lack (they stay unranked)"),
          ("days old", "figure older than site.yaml's check limits"),
          ("in the future", "as_of in the future"),
          ("is also the name of", "two models with one display name"),
          ("defined but no model reports it", "benchmark defined but unused"),
          ("has no source", "score without a source"),
          ("link to", "link to a missing page"))


def warning_kinds(warnings: list[SourceError]) -> list[str]:
    """The check's warnings grouped by kind, with a count and one example each."""
    counts: Counter = Counter()
    example: dict[str, str] = {}
    for w in warnings:
        kind = next((label for needle, label in _KINDS if needle in w.message),
                    re.sub(r"\d+(\.\d+)?", "N", w.message))
        counts[kind] += 1
        example.setdefault(kind, f"{Path(w.path).name}: {w.message}")
    return [f"{n:5} {kind} (e.g. {example[kind]})" for kind, n in sorted(counts.items())]


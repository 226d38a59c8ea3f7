"""YAML for editors from imported data, and ``--update``'s merge of new figures into a file.

Files are written in one stable layout (the content format's field order, one
benchmark result per line, prices and speeds as blocks), so that importing the same
data twice gives the same bytes and a diff shows only what changed.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from typing import Any, Callable, Iterable, Mapping

import yaml

from generator.tools.llm_stats_read import REPOSITORY

MODEL_ORDER = ("name", "vendor", "family", "released", "summary", "parameters_b",
               "active_parameters_b", "architecture", "context_window_tokens", "modalities",
               "languages", "license", "open_weights", "fine_tuning", "pricing", "free_tier",
               "benchmarks", "speed", "self_hosting", "capabilities", "faq", "sources")
BENCHMARK_ORDER = ("name", "description", "url", "scale_max", "higher_is_better", "category")
WIDTH = 88


# --------------------------------------------------------------------------- emit


def dump_model(data: Mapping[str, Any], header: str) -> str:
    """A model file: ``header`` (comment lines), then the fields in the format's order."""
    out = [header.rstrip("\n")] if header.strip() else []
    for key in [k for k in MODEL_ORDER if k in data] + [k for k in data if k not in MODEL_ORDER]:
        value = data[key]
        emit = _EMITTERS.get(key)
        out.append(emit(key, value) if emit is not None else _generic(key, value))
    return _checked("\n".join(out) + "\n", data)


def dump_benchmarks(entries: Mapping[str, Mapping[str, Any]]) -> str:
    """benchmarks.yaml entries, one block each, fields in the format's order."""
    blocks = []
    for key, entry in entries.items():
        lines = [f"{_key(key)}:"]
        for name in [n for n in BENCHMARK_ORDER if n in entry]:
            value = entry[name]
            if name == "description":
                lines.append(_folded("  description", value, indent=4))
            else:
                lines.append(f"  {name}: {_scalar(value, flow=False)}")
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks) + "\n"
    _checked(text, entries)
    return text


def _checked(text: str, data: Mapping[str, Any]) -> str:
    """The text, after making sure it reads back as exactly ``data``."""
    if yaml.safe_load(text) != _plain(data):
        raise AssertionError("the YAML written would not read back as the imported data")
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _scalar(value: Any, *, flow: bool = True) -> str:
    """One scalar as YAML that reads back as the same value and type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return f"{value:.10f}".rstrip("0") if "e" in text else text
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # Plain when it reads back as itself; quoted (JSON is valid YAML) when it holds
    # characters that would read differently in a flow mapping, such as URLs' ":".
    unsafe = ":#,[]{}\"'\n" if flow else "#\"'\n"
    if text and not any(c in text for c in unsafe) and _reads_as(text, text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_as(text: str, value: Any) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": value}
    except yaml.YAMLError:
        return False


def _key(key: str) -> str:
    return key if _reads_as(key, key) and key == key.strip() and ":" not in key \
        else json.dumps(key, ensure_ascii=False)


def _flow(mapping: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _folded(label: str, text: str, indent: int) -> str:
    """A long plain text as a folded block (``>-``), or one line when short or unusual."""
    simple = "\n" not in text and text == text.strip() and "  " not in text and text
    line = f"{label}: {_scalar(text)}"
    if not simple or len(line) <= WIDTH:
        return line
    wrapped = textwrap.wrap(text, WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    return f"{label}: >-\n" + "\n".join(" " * indent + w for w in wrapped)


def _emit_summary(key: str, value: Any) -> str:
    return _folded(key, value, 2) if isinstance(value, str) else _generic(key, value)


def _emit_modalities(key: str, value: Any) -> str:
    lines = [f"{key}:"]
    for side in ("input", "output"):
        if side in value:
            lines.append(f"  {side}: [{', '.join(_scalar(v) for v in value[side])}]")
    extra = {k: v for k, v in value.items() if k not in ("input", "output")}
    return "\n".join(lines) + ("\n" + _indent(_generic_body(extra)) if extra else "")


def _emit_rows(key: str, value: Any) -> str:
    if not value:
        return f"{key}: []"
    lines = [f"{key}:"]
    for row in value:
        items = list(row.items())
        for i, (name, v) in enumerate(items):
            lead = "  - " if i == 0 else "    "
            if isinstance(v, (Mapping, list, tuple)):
                return _generic(key, value)  # not a simple row: let PyYAML lay it out
            lines.append(f"{lead}{_key(name)}: {_scalar(v, flow=False)}")
    return "\n".join(lines)


def _emit_benchmarks(key: str, value: Any) -> str:
    """One result a line where it fits, else a small block (long dataset URLs)."""
    if not value:
        return f"{key}: {{}}"
    if any(not isinstance(v, Mapping) or any(isinstance(x, (Mapping, list)) for x in v.values())
           for v in value.values()):
        return _generic(key, value)
    lines = [f"{key}:"]
    for name, result in value.items():
        line = f"  {_key(name)}: {_flow(result)}"
        if len(line) <= WIDTH:
            lines.append(line)
        else:
            lines.append(f"  {_key(name)}:")
            lines += [f"    {_key(k)}: {_scalar(v, flow=False)}" for k, v in result.items()]
    return "\n".join(lines)


def _emit_sources(key: str, value: Any) -> str:
    if not value or any(not isinstance(v, Mapping) for v in value):
        return _generic(key, value)
    return f"{key}:\n" + "\n".join(f"  - {_flow(v)}" for v in value)


def _emit_inline_list(key: str, value: Any) -> str:
    if isinstance(value, (list, tuple)) and all(not isinstance(v, (Mapping, list)) for v in value):
        return f"{key}: [{', '.join(_scalar(v) for v in value)}]"
    return _generic(key, value)


def _generic(key: str, value: Any) -> str:
    return _generic_body({key: value}).rstrip("\n")


def _generic_body(mapping: Mapping[str, Any]) -> str:
    return yaml.safe_dump(_plain(mapping), sort_keys=False, allow_unicode=True, width=WIDTH,
                          default_flow_style=False, indent=2)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.rstrip("\n").split("\n"))


_EMITTERS: dict[str, Callable[[str, Any], str]] = {
    "summary": _emit_summary, "modalities": _emit_modalities, "pricing": _emit_rows,
    "speed": _emit_rows, "self_hosting": _emit_rows, "benchmarks": _emit_benchmarks,
    "sources": _emit_sources, "languages": _emit_inline_list, "fine_tuning": _emit_inline_list,
}
for _name in ("name", "vendor", "family", "released", "parameters_b", "active_parameters_b",
              "architecture", "context_window_tokens", "license", "open_weights", "free_tier"):
    _EMITTERS[_name] = lambda key, value: f"{key}: {_scalar(value, flow=False)}"


# --------------------------------------------------------------------------- merge


def from_dataset(figure: Any) -> bool:
    """Whether a figure names the dataset as its source (only those are ever updated)."""
    source = figure.get("source") if isinstance(figure, Mapping) else None
    return isinstance(source, str) and source.startswith(REPOSITORY + "/")


IGNORE_PREFIX = "# llm-stats ignore:"


def ignored(header: Iterable[str]) -> set[str]:
    """What a file's header tells ``--update`` to leave out: ``benchmarks/gpqa``,
    ``pricing/ZeroEval``, ``speed/*`` (every speed), from lines such as
    ``# llm-stats ignore: benchmarks/gpqa, speed/*``. Ignored figures are left exactly
    as the file has them: never added, changed or removed."""
    found: set[str] = set()
    for line in header:
        if line.startswith(IGNORE_PREFIX):
            found |= {item.strip() for item in line[len(IGNORE_PREFIX):].split(",") if item.strip()}
    return found


def merge_model(old: Mapping[str, Any], new: Mapping[str, Any], slug: str,
                ignore: set[str] = frozenset(),  # type: ignore[assignment]
                ) -> tuple[dict[str, Any], list[str]]:
    """``old`` with its dataset-sourced figures replaced by ``new``'s, and the changes.

    Prices, benchmark results and speeds whose source is the dataset follow the
    dataset (updated, added, removed); every other figure and field stays as the
    editor has it, and a figure an editor wrote for the same provider or benchmark
    keeps its place. Missing fields the dataset now fills are added. Figures that
    ``ignore`` names (see ``ignored``) are left alone.
    """
    merged = dict(old)
    changes: list[str] = []
    for key in ("pricing", "speed"):
        rows, notes = _merge_rows(old.get(key) or [], new.get(key) or [], key, slug, ignore)
        changes += notes
        _set(merged, key, rows)
    results, notes = _merge_results(old.get("benchmarks") or {}, new.get("benchmarks") or {},
                                    slug, ignore)
    changes += notes
    _set(merged, "benchmarks", results)
    for key, value in new.items():
        if key not in merged and key not in ("pricing", "speed", "benchmarks"):
            merged[key] = value
            changes.append(f"{slug}: {key} added")
    if "sources" in old:  # dataset links the file did not list yet go at the end
        extra = [s for s in new.get("sources", []) if s not in old["sources"]]
        if extra:
            merged["sources"] = [*old["sources"], *extra]
    return merged, changes


def _set(merged: dict[str, Any], key: str, value: Any) -> None:
    if value:
        merged[key] = value
    else:
        merged.pop(key, None)


_ROW_FIELDS = {"pricing": ("input_usd_per_mtok", "output_usd_per_mtok"),
               "speed": ("output_tokens_per_s", "ttft_ms_p50")}
_ROW_WORDS = {"pricing": ("input", "output"), "speed": ("tokens/s", "first token ms")}


def _merge_rows(old: list[Any], new: list[dict[str, Any]], key: str, slug: str,
                ignore: set[str]) -> tuple[list[Any], list[str]]:
    def hands_off(provider: Any) -> bool:
        return f"{key}/*" in ignore or f"{key}/{provider}" in ignore

    incoming = {row["provider"]: row for row in new if not hands_off(row["provider"])}
    hand = {row.get("provider") for row in old if not from_dataset(row)}
    out, notes = [], []
    for row in old:
        provider = row.get("provider") if isinstance(row, Mapping) else None
        if not from_dataset(row) or hands_off(provider):
            out.append(row)
        elif provider in incoming:
            fresh = incoming.pop(provider)
            for name, word in zip(_ROW_FIELDS[key], _ROW_WORDS[key]):
                if row.get(name) != fresh.get(name):
                    money = key == "pricing"
                    notes.append(f"{slug}: {key} {provider} {word} "
                                 f"{_shown(row.get(name), money)} → "
                                 f"{_shown(fresh.get(name), money)}")
            out.append(fresh)
        else:
            notes.append(f"{slug}: {key} {provider} removed (no longer in the dataset)")
    for provider, row in incoming.items():
        if provider not in hand:
            out.append(row)
            notes.append(f"{slug}: {key} {provider} added")
    return out, notes


def _merge_results(old: Mapping[str, Any], new: Mapping[str, Any], slug: str,
                   ignore: set[str]) -> tuple[dict[str, Any], list[str]]:
    def hands_off(key: str) -> bool:
        return "benchmarks/*" in ignore or f"benchmarks/{key}" in ignore

    new = {k: v for k, v in new.items() if not hands_off(k)}
    out, notes = {}, []
    for key, result in old.items():
        if not from_dataset(result) or hands_off(key):
            out[key] = result
        elif key in new:
            if result.get("score") != new[key].get("score"):
                notes.append(f"{slug}: benchmark {key} {_shown(result.get('score'))} → "
                             f"{_shown(new[key].get('score'))}")
            out[key] = new[key]
        else:
            notes.append(f"{slug}: benchmark {key} removed (no longer in the dataset)")
    for key, result in new.items():
        if key not in old:
            out[key] = result
            notes.append(f"{slug}: benchmark {key} added ({_shown(result['score'])})")
    return dict(sorted(out.items())), notes


def _shown(value: Any, money: bool = False) -> str:
    """A figure in a change line: prices with cents (1.10), other numbers as short as exact."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if money and round(value, 2) == value:
        return f"{value:.2f}"
    return f"{value:g}"

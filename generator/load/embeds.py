"""Live data in articles: a small syntax so article figures come from the YAML, never typed.

Inline, anywhere in the text (not inside code)::

    GPT-4o costs {{ gpt-4o.blended_usd_per_mtok }} per million tokens.   ->  $4.38
    {{ gpt-4o }}                                                           ->  a link to its page
    GPT-4o leads on {{ gpt-4o.wins.gpt-4o-mini }} shared benchmarks.      ->  5 of 6

Blocks, as fenced code with the language ``versus`` holding YAML::

    ```versus
    table: [llama-3-1-70b-instruct, gpt-4o]
    fields: [parameters_b, context_window_tokens, blended_usd_per_mtok, benchmarks.mmlu]
    ```
    ```versus
    benchmark: mmlu                 # one benchmark's results, best first
    models: [gpt-4o, llama-3-1-8b-instruct]   # optional: default, every model reporting it
    ```
    ```versus
    prices: [gpt-4o, llama-3-1-70b-instruct]   # every API offer of these models
    ```

An unknown model, field or benchmark is a build error at the embed's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import yaml

from generator.errors import SourceError, line_of
from generator.load.guards import yaml_shape

FIELDS: Mapping[str, tuple[str, str]] = {
    # field: (label, format filter)
    "name": ("Model", "text"),
    "vendor": ("Vendor", "text"),
    "released": ("Released", "date"),
    "parameters_b": ("Parameters", "parameters"),
    "active_parameters_b": ("Active parameters", "parameters"),
    "context_window_tokens": ("Context window", "short_tokens"),
    "license": ("Licence", "text"),
    "open_weights": ("Open weights", "yes_no"),
    "free_tier": ("Free tier", "yes_no"),
    "blended_usd_per_mtok": ("Blended price / 1M tokens", "usd"),
    "input_usd_per_mtok": ("Input / 1M tokens", "usd"),
    "output_usd_per_mtok": ("Output / 1M tokens", "usd"),
    "cheapest_provider": ("Cheapest provider", "text"),
    "vram_gb.fp16": ("Weights at 16-bit", "gigabytes"),
    "vram_gb.int8": ("Weights at 8-bit", "gigabytes"),
    "vram_gb.int4": ("Weights at 4-bit", "gigabytes"),
    "self_hosting_usd_per_mtok": ("Self-hosting / 1M output tokens", "usd"),
    "fastest_output_tokens_per_s": ("Output tokens/s", "number"),
    "scores.overall": ("Overall score", "score"),
    "scores.quality": ("Quality", "score"),
    "scores.cost": ("Cost score", "score"),
    "scores.speed": ("Speed score", "score"),
    "scores.context": ("Context score", "score"),
    "scores.openness": ("Openness", "score"),
}
BENCHMARK_PREFIX = "benchmarks."
TOKEN_MARK = "\x1a"  # a control character: refused in content files
TOKEN_RE = re.compile("\x1a[\ue000-\ue009]+\x1a")
# Fields about a pair, written {{ a.wins.b }}: on how many of the benchmarks both report
# ``a`` scores better than ``b`` (or ties with it), as "N of M".
PAIR_FIELDS: Mapping[str, tuple[str, str]] = {
    "wins": ("Shared benchmarks ahead", "text"),
    "ties": ("Shared benchmarks tied", "text"),
}
_INLINE_RE = re.compile(r"\{\{\s*(?P<model>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<field>[a-z0-9_.-]+))?\s*\}\}")
_FENCE_RE = re.compile(r"^(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                       re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
# Anything in double braces: what the strict pattern above does not take is a mistake
# (a display name, capitals, spaces), reported rather than published as written.
_LOOSE_RE = re.compile(r"\{\{\s*(?P<inner>[^{}\n]*?)\s*\}\}")


@dataclass(frozen=True)
class Embed:
    """One embed in an article body: ``kind`` is value, link, table, benchmark or prices."""

    kind: str
    start: int  # offsets in the body
    end: int
    models: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    benchmark: str | None = None
    line: int = 1  # 1-based within the body
    col: int = 1

    @property
    def token(self) -> str:
        """What stands for the embed while Markdown and the sanitiser run: ``TOKEN_MARK``,
        the offset in private-use digits, ``TOKEN_MARK``. No editor can write one: the load
        stage refuses control characters in every file (``sources.decode``), and the
        Markdown stage turns character references to them into U+FFFD before sanitising
        (``markup.sanitise``). Nor does it leave a word in a heading's anchor."""
        return TOKEN_MARK + "".join(chr(0xE000 + int(d)) for d in str(self.start)) + TOKEN_MARK


@dataclass(frozen=True)
class Found:
    embeds: tuple[Embed, ...]
    problems: tuple[tuple[int, int, str], ...] = field(default_factory=tuple)  # (line, col, msg)
    loose: tuple[tuple[int, int, str], ...] = ()  # (line, col, text): {{ }} that is no embed


def find_embeds(body: str) -> Found:
    """Every embed in ``body`` (inline ones outside code), and syntax problems in blocks."""
    embeds: list[Embed] = []
    problems: list[tuple[int, int, str]] = []
    masked = body
    for match in _FENCE_RE.finditer(body):
        if match.group("info").strip() == "versus":
            line, col = _position(body, match.start())
            block, problem = _block(match.group("body"), match.start(), match.end(), line)
            if block is not None:
                embeds.append(block)
            if problem:
                problems.append((line + 1, 1, problem))
        masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end():]
    masked = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _INLINE_RE.finditer(masked):
        line, col = _position(body, match.start())
        name = match.group("field")
        pair = pair_field(name) if name else None
        models = (match.group("model"),) + ((pair[1],) if pair else ())
        embeds.append(Embed("value" if name else "link", match.start(), match.end(),
                            models, (name,) if name else (), None, line, col))
    loose = [(*_position(body, m.start()), m.group("inner")) for m in _LOOSE_RE.finditer(masked)
             if not _INLINE_RE.fullmatch(m.group(0))]
    return Found(tuple(sorted(embeds, key=lambda e: e.start)), tuple(problems), tuple(loose))


def pair_field(name: str) -> tuple[str, str] | None:
    """``("wins", "b")`` for the field ``wins.b``; None for a field of one model."""
    kind, _, other = name.partition(".")
    return (kind, other) if kind in PAIR_FIELDS and other else None


def _block(text: str, start: int, end: int, line: int) -> tuple[Embed | None, str | None]:
    try:
        shape = yaml_shape(text, _LOADER, _MAX_NESTING)
        if shape is not None:
            return None, "versus block: " + shape[1]
        spec = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        return None, f"versus block is not valid YAML: {getattr(exc, 'problem', exc)}"
    except Exception:  # an explicit tag on a value it cannot read: !!bool "maybe"
        return None, "versus block holds a value YAML cannot read (remove any !!tag)"
    if not isinstance(spec, dict):
        return None, "a versus block holds YAML like 'table: [model, model]' and 'fields: [...]'"
    kinds = [k for k in ("table", "benchmark", "prices") if k in spec]
    if len(kinds) != 1:
        return None, "a versus block needs exactly one of 'table', 'benchmark' or 'prices'"
    kind = kinds[0]
    allowed = {"table": {"table", "fields"}, "benchmark": {"benchmark", "models"},
               "prices": {"prices"}}[kind]
    unknown = sorted(set(spec) - allowed)
    if unknown:
        return None, f"unknown key {unknown[0]!r} in a versus {kind} block (allowed: {', '.join(sorted(allowed))})"
    models = spec.get("table") or spec.get("models") or spec.get("prices") or []
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        return None, "models must be a list of model slugs"
    fields = spec.get("fields", ["parameters_b", "context_window_tokens", "blended_usd_per_mtok"])
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return None, "fields must be a list of field names"
    paired = [f for f in fields if pair_field(f)]
    if kind == "table" and paired:
        return None, (f"{paired[0]!r} compares two models: write it inline, "
                      "like {{ a.wins.b }}")
    bench = spec.get("benchmark")
    if kind == "benchmark" and not isinstance(bench, str):
        return None, "benchmark must be a benchmark key such as mmlu"
    return Embed(kind, start, end, tuple(models), tuple(fields) if kind == "table" else (),
                 bench, line, 1), None


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_NESTING = 8  # a versus block is a mapping of lists: anything deeper is a mistake


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_embeds(found: Found, *, path: str, body_line: int, text: str, models: Iterable[str],
                 benchmarks: Iterable[str], suggest: Callable[[str, Iterable[str]], str],
                 names: Mapping[str, str] | None = None) -> list[SourceError]:
    """Errors for syntax problems and unknown models, fields and benchmarks; ``names``
    maps display names to slugs, for ``{{ GPT-4o }}``."""
    models, benchmarks = set(models), set(benchmarks)
    known_fields = set(FIELDS) | {BENCHMARK_PREFIX + k for k in benchmarks}
    errors = []

    def err(line: int, col: int, message: str, name: str | None = None) -> None:
        at, col = body_line + line - 1, col
        if name is not None:  # in a block: point at the name, not at the fence
            at, col = _locate(text, at, name) or (at, col)
        errors.append(SourceError(path, at, col, message, snippet=line_of(text, at)))

    def nearest(word: str, choices: set[str]) -> str:
        longer = sorted(c for c in choices if c.startswith(word))  # gpqa -> gpqa-diamond
        return f" (did you mean {longer[0]!r}?)" if longer else suggest(word, choices)

    for line, col, message in found.problems:
        err(line, col, message)
    for line, col, inner in found.loose:
        err(line, col, _loose_message(inner, models, names or {}, suggest))
    for e in found.embeds:
        block = e.kind in ("table", "benchmark", "prices")
        for slug in e.models:
            if slug not in models:
                err(e.line, e.col, f"unknown model {slug!r} in embed{nearest(slug, models)}",
                    slug if block else None)
        for name in e.fields:
            if name not in known_fields and pair_field(name) is None:
                err(e.line, e.col, f"unknown field {name!r} in embed"
                    f"{nearest(name, known_fields)}", name if block else None)
        if e.benchmark is not None and e.benchmark not in benchmarks:
            err(e.line, e.col, f"unknown benchmark {e.benchmark!r} in embed"
                f"{nearest(e.benchmark, benchmarks)}", e.benchmark)
    return errors


def _loose_message(inner: str, models: set[str], names: Mapping[str, str],
                   suggest: Callable[[str, Iterable[str]], str]) -> str:
    """Why ``{{ inner }}`` is not an embed, with the embed that was probably meant."""
    by_name = {name.casefold(): slug for name, slug in names.items()}
    before, dot, after = inner.rpartition(".")
    head, _, rest = inner.partition(".")
    if inner.casefold() in by_name:  # {{ GPT-4o }}; display names may hold dots
        slug, field = by_name[inner.casefold()], ""
    elif dot and before.casefold() in by_name:  # {{ Llama 3.1 70B.released }}
        slug, field = by_name[before.casefold()], "." + after
    else:
        slug = head if head in models else by_name.get(head.casefold())
        field = "." + rest if rest else ""
        if slug is None:
            guess = head.strip().lower().replace(" ", "-")
            close = re.search(r"'(.+)'", suggest(guess, models))
            slug = guess if guess in models else (close[1] if close else None)
    written = "{{ " + inner + " }}"
    if slug is None:
        return (f"{written} is not an embed: inside {{{{ }}}} write a model's file name "
                "(content/models/<name>.yaml without .yaml), optionally with .field")
    meant = "{{ " + slug + field.lower() + " }}"
    return (f"{written} is not an embed: write the model's file name, not its display "
            f"name (did you mean `{meant}`?)")


def _locate(text: str, line: int, name: str) -> tuple[int, int] | None:
    """The line and column of ``name`` in the block whose fence is on ``line``."""
    lines = text.split("\n")
    pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
    for n in range(line, min(len(lines), line + 40)):
        if re.match(r"^(```|~~~)", lines[n]):
            return None  # the closing fence
        found = pattern.search(lines[n])
        if found:
            return n + 1, found.start() + 1
    return None


def with_tokens(body: str, embeds: tuple[Embed, ...]) -> str:
    """The body with each embed replaced by a token that survives Markdown untouched."""
    out, last = [], 0
    for e in embeds:
        out.append(body[last:e.start])
        out.append(f"\n\n{e.token}\n\n" if e.kind in ("table", "benchmark", "prices") else e.token)
        last = e.end
    out.append(body[last:])
    return "".join(out)


def field_value(name: str, model: Any, scores: Any,
                pair: Callable[[str, str], Any] | None = None) -> Any:
    """The value of an embed field for one model view and its scores (None when absent).

    ``pair(a, b)`` gives the pair facts (``compute.derive.PairFacts``) pair fields need.
    """
    paired = pair_field(name)
    if paired is not None:
        kind, other = paired
        if pair is None or other == model.slug:
            return None
        shared = pair(model.slug, other).shared_benchmarks
        count = sum(s.leader == "a" if kind == "wins" else s.leader is None for s in shared)
        return f"{count} of {len(shared)}"
    if name.startswith(BENCHMARK_PREFIX):
        row = model.benchmark(name[len(BENCHMARK_PREFIX):])
        return None if row is None else row.score
    if name.startswith("scores."):
        return getattr(scores, name.split(".", 1)[1])
    if name.startswith("vram_gb."):
        return None if model.vram is None else getattr(model.vram, name.split(".", 1)[1])
    if name in ("input_usd_per_mtok", "output_usd_per_mtok"):
        return None if model.cheapest is None else getattr(model.cheapest.offer, name)
    if name == "cheapest_provider":
        return None if model.cheapest is None else model.cheapest.offer.provider
    if name == "self_hosting_usd_per_mtok":
        return min((h.usd_per_mtok for h in model.self_hosting), default=None)
    return getattr(model, name)


def field_format(name: str) -> str:
    paired = pair_field(name)
    if paired is not None:
        return PAIR_FIELDS[paired[0]][1]
    return "benchmark" if name.startswith(BENCHMARK_PREFIX) else FIELDS[name][1]


def field_label(name: str, benchmark_names: Mapping[str, str]) -> str:
    paired = pair_field(name)
    if paired is not None:
        return PAIR_FIELDS[paired[0]][0]
    if name.startswith(BENCHMARK_PREFIX):
        return benchmark_names[name[len(BENCHMARK_PREFIX):]]
    return FIELDS[name][0]

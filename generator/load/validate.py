"""Validate stage: raw documents -> a frozen ``Catalog``, or every problem at once."""

from __future__ import annotations

import collections.abc
import difflib
import re
import typing
from typing import Any, Iterable
from urllib.parse import urlsplit

import pydantic
from pydantic import BaseModel

from generator.load.embeds import check_embeds, find_embeds
from generator.errors import ContentError, SourceError, line_of
from generator.load.catalog import Article, Catalog
from generator.load.schema import ArticleMeta, Benchmark, Model, SiteConfig
from generator.load.sources import Loc, Marks, RawArticle, RawDoc, RawProject
from generator.urls import model_slug_problem, pair_clashes, slug_problem


def validate_project(raw: RawProject, *, drafts: bool = False) -> Catalog:
    """Check every file and every cross-reference; raise ``ContentError`` with all errors."""
    errors: list[SourceError] = list(raw.errors)
    site = _validate(SiteConfig, raw.site, errors) if raw.site else None
    benchmarks = _validate_benchmarks(raw.benchmarks, errors)
    # Names that exist even where their entry or file is broken: referring to them is not
    # a second error, the broken file already has one.
    declared = set(raw.benchmarks.data) if raw.benchmarks and isinstance(raw.benchmarks.data, dict) \
        else set()
    known_models = set(raw.model_slugs)
    models: dict[str, Model] = {}
    paths: dict[str, str] = {}
    for slug, doc in raw.models:
        paths[slug] = doc.path
        slug_rule = model_slug_problem(slug)
        if slug_rule:
            errors.append(SourceError(doc.path, 1, 1, f"model slug {slug!r} {slug_rule}"))
        model = _validate(Model, doc, errors)
        if model is not None:
            errors.extend(_check_model(model, doc.marks, benchmarks, declared,
                                       has_registry=raw.benchmarks is not None))
            models[slug] = model
        else:  # still report unknown benchmark keys, so one run shows every problem
            errors.extend(_check_benchmark_keys(doc, benchmarks, declared,
                                                has_registry=raw.benchmarks is not None))
    errors.extend(_duplicate_names(raw, models))
    for ends_vs, starts_vs, url in pair_clashes(set(paths)):
        errors.append(SourceError(paths[ends_vs], 1, 1, f"model slugs {ends_vs!r} and "
                                  f"{starts_vs!r} make comparison URLs that clash: "
                                  f"{ends_vs[:-3]!r} + {starts_vs!r} and {ends_vs!r} + "
                                  f"{starts_vs[3:]!r} would both be {url!r}: rename one"))
    names = {doc.data["name"]: slug for slug, doc in raw.models
             if isinstance(doc.data, dict) and isinstance(doc.data.get("name"), str)}
    articles = []
    for item in raw.articles:
        errors.extend(_check_nesting(item))
        found = find_embeds(item.body)
        errors.extend(check_embeds(found, path=item.front.path,
                                   body_line=item.body_line, text=item.front.marks.text,
                                   models=known_models, benchmarks=declared, suggest=did_you_mean,
                                   names=names))
        meta = _validate(ArticleMeta, item.front, errors)
        if meta is None:
            continue
        errors.extend(_check_article(meta, item.front.marks, known_models))
        if drafts or not meta.draft:
            articles.append(Article(item.slug, meta, item.body, item.body_line, item.front.path,
                                    found.embeds))
    if site is not None and raw.site is not None:
        errors.extend(_check_site(site, raw.site.marks, known_models))
    if errors or site is None:
        raise ContentError(errors)
    articles.sort(key=lambda a: (-a.meta.date.toordinal(), a.slug))
    catalog = Catalog(site, dict(sorted(benchmarks.items())), dict(sorted(models.items())),
                      tuple(articles), dict(sorted(paths.items())), raw.templates_dir,
                      model_marks={slug: doc.marks for slug, doc in raw.models},
                      benchmark_marks=raw.benchmarks.marks if raw.benchmarks else None,
                      site_marks=raw.site.marks if raw.site else None)
    return catalog


def _duplicate_names(raw: RawProject, models: dict[str, Model]) -> Iterable[SourceError]:
    """Two models with one display name (ignoring case): a page titled "X vs X" helps nobody."""
    seen: dict[str, str] = {}
    for slug, doc in sorted(raw.models, key=lambda item: item[0]):
        model = models.get(slug)
        if model is None:
            continue
        key = " ".join(model.name.casefold().split())
        if key in seen:
            yield doc.marks.error(("name",), f"{model.name!r} is also the name of "
                                  f"{seen[key]!r}: readers cannot tell them apart; name the "
                                  f"version, e.g. {model.name} ({model.released or slug})")
        else:
            seen[key] = slug


# --------------------------------------------------------------------------- files


def _validate(cls: type[BaseModel], doc: RawDoc, errors: list[SourceError],
              prefix: Loc = ()) -> Any:
    data = doc.data
    for part in prefix:
        data = data[part]
    if not isinstance(data, dict):
        errors.append(doc.marks.error(prefix, f"expected a mapping of fields ({_fields_hint(cls)}), "
                                      f"got {_describe(data)}"))
        return None
    try:
        return cls.model_validate(data)
    except pydantic.ValidationError as exc:
        errors.extend(_explain(exc, cls, data, doc.marks, prefix))
        return None


def _validate_benchmarks(doc: RawDoc | None, errors: list[SourceError]) -> dict[str, Benchmark]:
    if doc is None:
        return {}
    if not isinstance(doc.data, dict):
        errors.append(doc.marks.error((), "expected a mapping of benchmark keys to "
                                      f"benchmarks, got {_describe(doc.data)}"))
        return {}
    result = {}
    for key in doc.data:
        problem = slug_problem(key)
        if problem:
            errors.append(doc.marks.error((key,), f"benchmark key {key!r} {problem}", key=True))
            continue
        bench = _validate(Benchmark, doc, errors, prefix=(key,))
        if bench is not None:
            result[key] = bench
    return result


# --------------------------------------------------------------------------- cross checks


def _check_model(model: Model, marks: Marks, benchmarks: dict[str, Benchmark],
                 declared: set[str], *, has_registry: bool) -> Iterable[SourceError]:
    if (model.active_parameters_b is not None and model.parameters_b is not None
            and model.active_parameters_b > model.parameters_b):
        yield marks.error(("active_parameters_b",),
                          f"active_parameters_b ({model.active_parameters_b:g}) cannot exceed "
                          f"parameters_b ({model.parameters_b:g})")
    for key, result in model.benchmarks.items():
        bench = benchmarks.get(key)
        if bench is None:
            yield from _unknown_benchmark(key, marks, benchmarks, declared, has_registry)
        elif result.score > bench.scale_max:
            yield marks.error(("benchmarks", key, "score"),
                              f"score {result.score:g} is above {bench.name}'s scale_max "
                              f"{bench.scale_max:g}")


def _unknown_benchmark(key: str, marks: Marks, benchmarks: dict[str, Benchmark],
                       declared: set[str], has_registry: bool) -> Iterable[SourceError]:
    if key in declared:
        return  # its entry in benchmarks.yaml is invalid and reported there
    where = "benchmarks.yaml" if has_registry else "benchmarks.yaml (there is none)"
    yield marks.error(("benchmarks", key), f"unknown benchmark {key!r}: it is not in "
                      f"{where}{did_you_mean(key, benchmarks)}{how_to_add(key)}", key=True)


def how_to_add(key: str) -> str:
    """How to add a benchmark, after an unknown key."""
    return (f"; to add a benchmark, give it an entry in content/benchmarks.yaml, such as "
            f"`{key}: {{name: Its Name, scale_max: 100, higher_is_better: true}}`")


def _check_benchmark_keys(doc: RawDoc, benchmarks: dict[str, Benchmark], declared: set[str],
                          *, has_registry: bool) -> Iterable[SourceError]:
    """Unknown benchmark keys of a model file that failed validation for other reasons."""
    raw = doc.data.get("benchmarks") if isinstance(doc.data, dict) else None
    if isinstance(raw, dict):
        for key in raw:
            if key not in benchmarks:
                yield from _unknown_benchmark(key, doc.marks, benchmarks, declared, has_registry)


MAX_INDENT = 128  # columns of indentation and '>' before a line's text


def _check_nesting(item: RawArticle) -> Iterable[SourceError]:
    """Lines nested deeper than any article needs (Markdown would exhaust Python's stack)."""
    for number, line in enumerate(item.body.split("\n")):
        prefix = re.match(r"[ \t>]*", line).group().expandtabs(4)  # type: ignore[union-attr]
        if len(prefix) > MAX_INDENT:
            at = item.body_line + number
            yield SourceError(item.front.path, at, 1, f"this line is indented or quoted more "
                              f"than {MAX_INDENT} columns deep: lists and quotes cannot nest "
                              "that far", snippet=line_of(item.front.marks.text, at))
            return  # one is enough: the lines below are usually as deep


def _check_article(meta: ArticleMeta, marks: Marks, models: set[str]) -> Iterable[SourceError]:
    for i, slug in enumerate(meta.models):
        if slug not in models:
            yield marks.error(("models", i), f"unknown model {slug!r}{did_you_mean(slug, models)}")
    if meta.updated and meta.updated < meta.date:
        yield marks.error(("updated",), f"updated ({meta.updated}) is before date ({meta.date})")


def _check_site(site: SiteConfig, marks: Marks, models: set[str]) -> Iterable[SourceError]:
    for i, (a, b) in enumerate(site.comparisons.include):
        for j, slug in enumerate((a, b)):
            if slug not in models:
                yield marks.error(("comparisons", "include", i, j),
                                  f"unknown model {slug!r}{did_you_mean(slug, models)}")
        if a == b:
            yield marks.error(("comparisons", "include", i), f"a model cannot be compared with "
                              f"itself ({a!r})")
    host = urlsplit(site.base_url).hostname
    if site.custom_domain and (host != site.custom_domain or site.base_path != "/"):
        yield marks.error(("base_url",), f"base_url must be https://{site.custom_domain}/ when "
                          f"custom_domain is {site.custom_domain!r}: GitHub Pages then serves the "
                          "site at that domain's root")
    if not any(getattr(site.scoring.weights, k) > 0 for k in type(site.scoring.weights).model_fields):
        yield marks.error(("scoring", "weights"), "at least one weight must be above 0")


# --------------------------------------------------------------------------- messages


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _explain(exc: pydantic.ValidationError, cls: type[BaseModel], data: Any,
             marks: Marks, prefix: Loc) -> Iterable[SourceError]:
    """Turn pydantic's errors into one editor-facing message each, with positions."""
    seen: set[tuple[Loc, str]] = set()
    raw_errors = exc.errors(include_url=False)
    # "unknown field 'scroe' (did you mean 'score'?)" already says what is missing.
    suggested = {(prefix + _data_loc(data, e["loc"])[:-1],
                  did_you_mean(str(e["loc"][-1]), _fields_at(cls, _data_loc(data, e["loc"])[:-1])))
                 for e in raw_errors if e["type"] == "extra_forbidden"}
    for err in raw_errors:
        loc = prefix + _data_loc(data, err["loc"])
        kind = err["type"]
        field = _dotted(loc) or "file"
        if kind == "missing":
            name = err["loc"][-1]
            if (loc[:-1], f" (did you mean {name!r}?)") in suggested:
                continue
            message = f"required field {name!r} is missing"
            error = marks.error(loc[:-1] if loc and loc[-1] == name else loc, message)
        elif kind == "extra_forbidden":
            allowed = _fields_at(cls, loc[len(prefix):-1])
            message = f"unknown field {loc[-1]!r}{did_you_mean(str(loc[-1]), allowed)}"
            if allowed and not did_you_mean(str(loc[-1]), allowed):
                message += f"; allowed here: {', '.join(allowed)}"
            error = marks.error(loc, message, key=True)
        else:
            error = marks.error(loc, f"{field}: {_message(err)}")
        if (loc, error.message) not in seen:  # unions report one problem per member
            seen.add((loc, error.message))
            yield error


def _dotted(loc: Loc) -> str:
    """``pricing[0].source``: the location as an editor would write it."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _data_loc(data: Any, loc: tuple) -> Loc:
    """Keep the parts of pydantic's location that are real keys or indexes in ``data``."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node \
                and part == loc[-1]:
            out.append(part)  # a missing or unknown key: name it
    return tuple(out)


def _message(err: dict) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        whole = "a whole number" if kind.startswith("int") else "a number"
        hint = _number_hint(value) if isinstance(value, str) else ""
        return f"expected {whole}, got {_describe(value)}{hint}"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}{_quote_hint(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_describe(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {_describe(value)}"
    if kind in ("dict_type", "model_type", "mapping_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = f'{ctx.get("ge", ctx.get("gt")):g}'
        word = "at least" if kind == "greater_than_equal" else "above"
        return f"must be {word} {bound}, got {value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "literal_error":
        options = ctx.get("expected", "").replace("'", "")
        return f"expected one of {options}, got {_describe(value)}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "too_short" or kind == "too_long":
        return f"expected {ctx.get('min_length', ctx.get('max_length'))} items, got {_describe(value)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def _number_hint(text: str) -> str:
    """What to change in text that was meant as a number."""
    text = text.strip()
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
        return " (a number in quotes is text: remove the quotes)"
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(,\d{3})+", text):
        return f" (no thousands separators: write {text.replace(',', '')})"
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        return f" (use a decimal point, not a comma: write {text.replace(',', '.')})"
    return " (write digits only, no units or % sign)"


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool):
        return " (YAML reads yes/no/on/off as true/false: put the text in quotes)"
    if isinstance(value, (int, float)):
        return " (put it in quotes: YAML reads 3.10 as the number 3.1)"
    return ""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"


def _fields_hint(cls: type[BaseModel]) -> str:
    required = [n for n, f in cls.model_fields.items() if f.is_required()]
    return "required: " + ", ".join(required) if required else "all optional"


def _fields_at(cls: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at ``loc`` inside ``cls``, for 'did you mean'."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if typing.get_origin(current) in (dict, collections.abc.Mapping):
            current = typing.get_args(current)[1]
            continue
        model = _model_in(current)
        if model is None or part not in model.model_fields:
            return []
        current = model.model_fields[part].annotation
    model = _model_in(current)
    return sorted(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``tuple[X, ...] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is not None:
        args = typing.get_args(annotation)
        if origin in (dict, collections.abc.Mapping):
            args = args[1:]
        for arg in args:
            found = _model_in(arg)
            if found:
                return found
    return None

"""From LLM Stats records to our content format: units, sources, dates, hygiene.

Pure functions over a read ``Dataset``. Every figure keeps the dataset as its source
(a URL into the dataset's repository, at the snapshot's commit when known), its date
(``as_of``) and, for scores, whether the vendor reported it; the original source the
dataset cites goes into the model's ``sources``. Nothing is invented: a field the
data lacks stays out, and a result the data gets visibly wrong is skipped with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from generator.tools.llm_stats_names import benchmark_keys, is_url, number, scale_max
from generator.tools.llm_stats_read import REPOSITORY, Dataset, Record

MODALITIES = ("text", "image", "audio", "video")
PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net")
MAX_OUTPUT_INPUT_RATIO = 12  # output prices run 1-8x input; far beyond that is a typo
# Judge scores out of 10, which the dataset stores as a fraction of 10 (0.875 for 8.75);
# a value under 0.1 there is the judge's score taken as a fraction of 100.
OUT_OF_TEN = frozenset({"mt-bench", "mm-mt-bench"})
PLACEHOLDER_SPEED_MODELS = 3  # one tokens/s figure on this many models is a filler


@dataclass
class Hygiene:
    """What the import left out or changed, by reason, with a few examples each."""

    counts: Counter = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, kind: str, reason: str, example: str, n: int = 1) -> None:
        self.counts[(kind, reason)] += n
        if len(self.examples[(kind, reason)]) < 3:
            self.examples[(kind, reason)].append(example)

    def lines(self) -> list[str]:
        return [f"{n:5} {kind}: {reason} (e.g. {', '.join(self.examples[(kind, reason)])})"
                for (kind, reason), n in sorted(self.counts.items())]


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Context:
    """What converting one model needs to know about the whole dataset."""

    dataset: Dataset
    ref: str
    keys: Mapping[str, str]  # dataset benchmark id -> our key
    reporters: Mapping[str, int]  # dataset benchmark id -> how many models report it
    filler_speeds: frozenset[float]  # tokens/s figures repeated across unrelated models

    def url(self, path: str, folder: bool = False) -> str:
        return f"{REPOSITORY}/{'tree' if folder else 'blob'}/{self.ref}/{path}"


def context(dataset: Dataset, ref: str | None) -> Context:
    reporters: Counter = Counter()
    for model_id, results in dataset.results.items():
        for bench in {r["benchmark_id"] for r in results}:
            reporters[bench] += 1
    speeds: dict[float, set[tuple[str, str]]] = defaultdict(set)  # -> (organisation, model)
    for model_id, offers in dataset.offers.items():
        for o in offers:
            if o.get("throughput") is not None:
                speeds[o["throughput"]].add((o.get("organization_id", ""), model_id))
    return Context(dataset, ref or dataset.ref or "main", benchmark_keys(dataset.benchmarks),
                   reporters,
                   frozenset(s for s, m in speeds.items()
                             if len(m) >= PLACEHOLDER_SPEED_MODELS or len({o for o, _ in m}) > 1))


def convert_model(ctx: Context, model_id: str, hygiene: Hygiene) -> dict[str, Any]:
    """Our model mapping for one dataset model, in the content format's field order."""
    ds = ctx.dataset
    m = ds.models[model_id]
    released = _date(m.get("release_date"))
    offers = ds.offers.get(model_id, ())
    out: dict[str, Any] = {"name": m["name"].strip(),
                           "vendor": ds.organizations.get(m["organization_id"], {}).get(
                               "name", m["organization_id"])}
    if released:
        out["released"] = released
    if m.get("description"):
        out["summary"] = " ".join(m["description"].split())
    if m.get("param_count"):
        out["parameters_b"] = number(m["param_count"] / 1e9)
    windows = [o["max_input_tokens"] for o in offers if o.get("max_input_tokens")]
    if windows:
        out["context_window_tokens"] = max(windows)
    modalities = _modalities(offers)
    if modalities:
        out["modalities"] = modalities
    licence = ds.licenses.get(m.get("license_id") or "")
    if licence and m.get("license_id") != "unknown":
        out["license"] = licence["name"].strip()
    out["open_weights"] = bool(m.get("source_weights_link")) or (
        licence is not None and m.get("license_id") not in ("proprietary", "unknown"))
    pricing = _dated(_pricing(ctx, model_id, offers, hygiene), released, model_id, "price",
                     hygiene)
    if pricing:
        out["pricing"] = pricing
    benchmarks, cited = _benchmarks(ctx, model_id, released, hygiene)
    if benchmarks:
        out["benchmarks"] = benchmarks
    speed = _dated(_speed(ctx, model_id, offers, hygiene), released, model_id, "speed", hygiene)
    if speed:
        out["speed"] = speed
    out["sources"] = _sources(ctx, model_id, cited)
    return out


def _modalities(offers: Iterable[Record]) -> dict[str, list[str]] | None:
    found = {side: [k for k in MODALITIES if any(o.get(f"{side}_modality_{k}") for o in offers)]
             for side in ("input", "output")}
    return found if found["input"] or found["output"] else None


def _pricing(ctx: Context, model_id: str, offers: Iterable[Record],
             hygiene: Hygiene) -> list[dict[str, Any]]:
    unit = ctx.dataset.price_unit
    priced = []
    for o in offers:
        raw_in, raw_out = o.get(unit.input_field), o.get(unit.output_field)
        if raw_in is None or raw_out is None:
            continue
        provider = _provider(ctx, o)
        if raw_in > 0 and raw_out / raw_in > MAX_OUTPUT_INPUT_RATIO:
            hygiene.note("price skipped", f"output price over {MAX_OUTPUT_INPUT_RATIO}x the "
                         "input price (a typo in the data)", f"{model_id} at {provider}")
            continue
        offer: dict[str, Any] = {"provider": provider,
                                 "input_usd_per_mtok": number(raw_in * unit.usd_per_mtok),
                                 "output_usd_per_mtok": number(raw_out * unit.usd_per_mtok)}
        if _date(o.get("updated_at")):
            offer["as_of"] = _date(o.get("updated_at"))
        offer["source"] = ctx.url(f"data/providers/{o['provider_id']}/models.json")
        priced.append(offer)
    return _one_per_provider(priced, model_id, "price", hygiene)


def _speed(ctx: Context, model_id: str, offers: Iterable[Record],
           hygiene: Hygiene) -> list[dict[str, Any]]:
    measured = []
    for o in offers:
        tps, latency = o.get("throughput"), o.get("latency")
        if tps is None:
            continue
        provider = _provider(ctx, o)
        if tps < 1 or tps in ctx.filler_speeds:
            hygiene.note("speed skipped", "placeholder figure (one tokens/s figure on "
                         f"{PLACEHOLDER_SPEED_MODELS}+ models or on models of two vendors, "
                         "or under 1 token/s)",
                         f"{model_id} at {provider}")
            continue
        row: dict[str, Any] = {"provider": provider, "output_tokens_per_s": number(tps)}
        if latency is not None:
            row["ttft_ms_p50"] = number(latency * 1000)
        row["source"] = ctx.url(f"data/providers/{o['provider_id']}/models.json")
        if _date(o.get("updated_at")):
            row["as_of"] = _date(o.get("updated_at"))
        measured.append(row)
    return _one_per_provider(measured, model_id, "speed", hygiene)


def _dated(rows: list[dict[str, Any]], released: dt.date | None, model_id: str, what: str,
           hygiene: Hygiene) -> list[dict[str, Any]]:
    """Rows without the dates that precede the model's release (the record's, not the
    figure's date: the dataset back-dates records it created before a launch)."""
    for row in rows:
        if released and row.get("as_of") and row["as_of"] < released:
            del row["as_of"]
            hygiene.note("date left out", f"{what} dated before the model's release",
                         f"{model_id} at {row['provider']}")
    return rows


def _one_per_provider(rows: list[dict[str, Any]], model_id: str, what: str,
                      hygiene: Hygiene) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["provider"] in seen:
            hygiene.note(f"{what} skipped", "a second offer at one provider",
                         f"{model_id} at {row['provider']}")
        else:
            seen[row["provider"]] = row
    return sorted(seen.values(), key=lambda r: r["provider"].casefold())


def _provider(ctx: Context, offer: Record) -> str:
    return ctx.dataset.providers.get(offer["provider_id"], {}).get("name", offer["provider_id"])


def _benchmarks(ctx: Context, model_id: str, released: dt.date | None, hygiene: Hygiene,
                ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    ds = ctx.dataset
    grouped: dict[str, list[Record]] = defaultdict(list)
    for r in ds.results.get(model_id, ()):
        grouped[r["benchmark_id"]].append(r)
    out: dict[str, dict[str, Any]] = {}
    cited: list[str] = []
    for bench_id, results in sorted(grouped.items()):
        where = f"{model_id} {bench_id}"
        bench = ds.benchmarks.get(bench_id)
        if bench is None:
            hygiene.note("result skipped", "benchmark not defined in data/benchmarks", where)
            continue
        if len({r["score"] for r in results}) > 1:
            hygiene.note("result skipped", "several different results for one benchmark "
                         "(e.g. with and without tools): ambiguous", where, len(results))
            continue
        if len(results) > 1:
            hygiene.note("result skipped", "exact duplicate", where, len(results) - 1)
        r = results[0]
        link = r.get("self_reported_source_link") or ""
        if not is_url(link) or urlsplit(link).hostname in PLACEHOLDER_HOSTS:
            hygiene.note("result skipped", "placeholder or missing source", where)
            continue
        if ctx.reporters[bench_id] < 2:
            hygiene.note("result skipped", "only one model reports the benchmark", where)
            continue
        normalised = _normalised(r, ds.benchmarks)
        if bench_id in OUT_OF_TEN and normalised < 0.1:
            hygiene.note("result skipped", "on another scale than its benchmark (a judge "
                         "score out of 10 stored as a percentage)", where)
            continue
        if normalised == 0:
            hygiene.note("result skipped", "a score of 0 (a test the model cannot take, "
                         "e.g. images for a text-only model)", where)
            continue
        entry: dict[str, Any] = {"score": number(normalised * scale_max(bench)),
                                 "source": ctx.url(f"{ds.model_paths[model_id]}/benchmarks.json")}
        as_of = _date(r.get("updated_at"))
        if as_of and released and as_of < released:
            hygiene.note("date left out", "result dated before the model's release", where)
        elif as_of:
            entry["as_of"] = as_of
        entry["self_reported"] = bool(r.get("is_self_reported", True))
        out[ctx.keys[bench_id]] = entry
        if link not in cited:
            cited.append(link)
    return out, cited


def _sources(ctx: Context, model_id: str, cited: list[str]) -> list[dict[str, str]]:
    m = ctx.dataset.models[model_id]
    links = [(f"{m['name']} in the LLM Stats dataset (CC BY 4.0)",
              ctx.url(ctx.dataset.model_paths[model_id], folder=True))]
    for key, title in (("source_scorecard_blog_link", "Announcement"),
                       ("source_paper", "Paper or technical report"),
                       ("source_api_ref", "API documentation"),
                       ("source_weights_link", "Weights"),
                       ("source_repo_link", "Code repository")):
        if m.get(key) and is_url(m[key]):
            links.append((title, m[key]))
    links.extend((f"Benchmark results cited by LLM Stats ({urlsplit(u).hostname})", u)
                 for u in cited)
    seen: set[str] = set()
    out = []
    for title, url in links:
        if url not in seen:
            seen.add(url)
            out.append({"title": title, "url": url})
    return out


# --------------------------------------------------------------------------- values


def _normalised(result: Record, benchmarks: Mapping[str, Record]) -> float:
    """A result on 0..1: the dataset's normalised score, or the score over the maximum."""
    value = result.get("normalized_score")
    if value is None:
        value = result["score"] / float(benchmarks[result["benchmark_id"]]["max_score"])
    return float(value)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

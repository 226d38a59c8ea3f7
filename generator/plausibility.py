"""Plausibility warnings: valid figures that are probably wrong, and what to verify.

Imported data carries typos no schema can refuse: a price in cents read as
dollars, 88.9B parameters for a "9B" model, a score out of 10 under a 0..100
benchmark, a result dated before the model existed, one placeholder speed pasted
on many models, a vendor's first-person marketing text. Each check compares a
figure with the rest of the catalogue or with the model's own name and dates, and
warns at the figure's ``path:line:col``. Thresholds live in ``site.yaml`` under
``check:``; ``null`` turns a check off.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from typing import Iterator

from generator.errors import SourceError
from generator.load.catalog import Catalog
from generator.load.sources import Loc

WARNING = "warning"
MIN_PRICED_MODELS = 5  # below this, a catalogue has no range to speak of
MIN_OTHER_RESULTS = 3  # results of other models a score is compared with
MIN_OTHER_SCALE = 1  # the smallest scale a score may have been written on by mistake (0..1)
FIRST_PERSON = re.compile(r"\b(we|we're|we've|our|ours|us)\b", re.IGNORECASE)
# "9B", "1.5B", "70b" not glued to a letter before it ("A22B" is active, "E4B" effective).
NAME_SIZE = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)\s?[Bb]\b")
# "8x7B": experts times size, not the total.
NAME_EXPERTS = re.compile(r"\d+\s?[x×]\s?\d")


def plausibility_warnings(catalog: Catalog) -> list[SourceError]:
    """Every plausibility warning about ``catalog`` (unsorted; the caller sorts)."""
    return [*price_outliers(catalog), *price_spreads(catalog), *name_size_mismatches(catalog),
            *scale_mismatches(catalog), *dated_before_release(catalog),
            *repeated_speeds(catalog), *first_person_text(catalog),
            *lone_modalities(catalog), *thin_dimensions(catalog)]


def _warn(catalog: Catalog, slug: str, loc: Loc, message: str) -> SourceError:
    return catalog.model_marks[slug].error(loc, message, severity=WARNING)


def price_outliers(catalog: Catalog) -> Iterator[SourceError]:
    """A price far above or below the catalogue's median for that kind of token."""
    factor = catalog.site.check.price_outlier_factor
    if factor is None:
        return
    for side in ("input", "output"):
        field = f"{side}_usd_per_mtok"
        prices = [getattr(o, field) for m in catalog.models.values() for o in m.pricing
                  if getattr(o, field) > 0]
        if len({slug for slug, m in catalog.models.items() if m.pricing}) < MIN_PRICED_MODELS:
            return
        median = statistics.median(prices)
        for slug, model in catalog.models.items():
            for i, offer in enumerate(model.pricing):
                price = getattr(offer, field)
                if price > 0 and (price > median * factor or price < median / factor):
                    where = "above" if price > median else "below"
                    yield _warn(catalog, slug, ("pricing", i, field),
                                f"${price:g} per million {side} tokens at {offer.provider} is more "
                                f"than {factor:g}× {where} the catalogue's median (${median:g}): "
                                "check the unit (cents or dollars, per thousand or per million) "
                                "at the source")


def price_spreads(catalog: Catalog) -> Iterator[SourceError]:
    """One provider's price far from the same model's other offers (a slipped decimal point)."""
    factor = catalog.site.check.price_spread_factor
    if factor is None:
        return
    for slug, model in catalog.models.items():
        for side in ("input", "output"):
            field = f"{side}_usd_per_mtok"
            for i, offer in enumerate(model.pricing):
                others = [getattr(o, field) for j, o in enumerate(model.pricing)
                          if j != i and getattr(o, field) > 0]
                price = getattr(offer, field)
                if len(others) < 2 or price <= 0:
                    continue
                median = statistics.median(others)
                if price > median * factor or price < median / factor:
                    yield _warn(catalog, slug, ("pricing", i, field),
                                f"${price:g} per million {side} tokens at {offer.provider} is more "
                                f"than {factor:g}× {'above' if price > median else 'below'} the "
                                f"model's other offers (median ${median:g}): a slipped decimal "
                                "point? Check it at the source")


def name_size_mismatches(catalog: Catalog) -> Iterator[SourceError]:
    """parameters_b that contradicts a size written in the model's name."""
    tolerance = catalog.site.check.name_size_tolerance
    if tolerance is None:
        return
    for slug, model in catalog.models.items():
        if model.parameters_b is None or NAME_EXPERTS.search(model.name):
            continue
        sizes = [float(s) for s in NAME_SIZE.findall(model.name)]
        if not sizes or any(s > 0 and 1 / tolerance <= model.parameters_b / s <= tolerance
                            for s in sizes):
            continue
        named = " or ".join(f"{s:g}B" for s in sizes)
        yield _warn(catalog, slug, ("parameters_b",),
                    f"parameters_b {model.parameters_b:g} contradicts {named} in the name "
                    f"{model.name!r}: check the count at the source (billions, not millions)")


def scale_mismatches(catalog: Catalog) -> Iterator[SourceError]:
    """A score that looks as if it was written on another scale than its benchmark's."""
    factor = catalog.site.check.scale_mismatch_factor
    if factor is None:
        return
    by_key: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for slug, model in catalog.models.items():
        for key, result in model.benchmarks.items():
            by_key[key].append((slug, result.score))
    for key, results in sorted(by_key.items()):
        bench = catalog.benchmarks[key]
        for slug, score in results:
            others = [s for o, s in results if o != slug]
            hint = _other_scale(score, others, bench.scale_max, factor)
            if hint:
                yield _warn(catalog, slug, ("benchmarks", key, "score"),
                            f"{key}: score {score:g} on {bench.name}'s 0..{bench.scale_max:g} "
                            f"scale {hint}: check the scale at the source")


def _other_scale(score: float, others: list[float], scale_max: float, factor: float) -> str | None:
    if score <= 0:
        return None
    if len(others) < MIN_OTHER_RESULTS:
        if scale_max >= 100 and score <= 1:
            return "looks like a fraction of 1"
        return None
    median = statistics.median(others)
    if median < score * factor:
        return None
    low, high = min(others), max(others)
    for times in (10, 100):
        if scale_max / times < MIN_OTHER_SCALE:  # "out of 0.1" is no scale anyone uses
            continue
        if score * times <= scale_max and low / 1.5 <= score * times <= high * 1.5:
            return (f"is about 1/{times} of the other {len(others)} results (median "
                    f"{median:g}): is it out of {scale_max / times:g}?")
    return None


def dated_before_release(catalog: Catalog) -> Iterator[SourceError]:
    """A price or benchmark result dated before the model was released."""
    grace = catalog.site.check.before_release_grace_days
    if grace is None:
        return
    for slug, model in catalog.models.items():
        if model.released is None:
            continue
        dated: list[tuple[Loc, str, object]] = [
            (("pricing", i, "as_of"), f"price at {o.provider}", o.as_of)
            for i, o in enumerate(model.pricing)]
        dated += [(("benchmarks", k, "as_of"), f"{k} score", r.as_of)
                  for k, r in model.benchmarks.items()]
        for loc, what, as_of in dated:
            if as_of is not None and (model.released - as_of).days > grace:  # type: ignore[operator]
                yield _warn(catalog, slug, loc,
                            f"{what} is dated {as_of}, before the model's release "
                            f"({model.released}): is it another model's figure, or is the "
                            "release date wrong?")


def repeated_speeds(catalog: Catalog) -> Iterator[SourceError]:
    """One speed measurement repeated on many unrelated models: a placeholder, not a measurement."""
    threshold = catalog.site.check.repeated_speed_models
    if threshold is None:
        return
    seen: dict[tuple[float, float | None], list[tuple[str, int]]] = defaultdict(list)
    for slug, model in catalog.models.items():
        for i, s in enumerate(model.speed):
            seen[(s.output_tokens_per_s, s.ttft_ms_p50)].append((slug, i))
    for (tps, ttft), places in sorted(seen.items(), key=lambda kv: str(kv[0])):
        lines = {catalog.models[slug].family or slug for slug, _ in places}
        if len(lines) < threshold:
            continue
        figure = f"{tps:g} tokens/s" + ("" if ttft is None else f", {ttft:g} ms")
        for slug, i in places:
            yield _warn(catalog, slug, ("speed", i, "output_tokens_per_s"),
                        f"{figure} is also the speed of {len(lines) - 1} unrelated models: "
                        "a placeholder? Measure it or remove it")


def first_person_text(catalog: Catalog) -> Iterator[SourceError]:
    """A vendor's own voice ("our flagship model") copied as the site's text."""
    for slug, model in catalog.models.items():
        fields: list[tuple[Loc, str | None]] = [(("summary",), model.summary)]
        for i, c in enumerate(model.capabilities):
            fields += [(("capabilities", i, name), getattr(c, name))
                       for name in ("description", "unique", "vs_alternatives")]
        for loc, text in fields:
            found = FIRST_PERSON.search(text or "")
            if found:
                yield _warn(catalog, slug, loc,
                            f"{found.group(0)!r}: this reads as the vendor speaking; rewrite it "
                            "in the site's own voice (name the vendor)")


RARE_MODALITIES = ("audio", "video")  # inputs a data set's provider flags often claim wrongly


def lone_modalities(catalog: Catalog) -> Iterator[SourceError]:
    """Audio or video input that no other model of the same vendor accepts.

    Provider flags in imported data claim them for models that take only text and
    images; a vendor's first such model is real news, and worth the same look.
    """
    if not catalog.site.check.lone_modalities:
        return
    by_vendor: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug, model in catalog.models.items():
        for kind in (model.modalities.input if model.modalities else ()):
            if kind in RARE_MODALITIES:
                by_vendor[(model.vendor.casefold(), kind)].append(slug)
    for (vendor, kind), slugs in sorted(by_vendor.items()):
        if len(slugs) == 1 and _vendor_size(catalog, vendor) > 1:
            model = catalog.models[slugs[0]]
            index = model.modalities.input.index(kind)  # type: ignore[union-attr]
            yield _warn(catalog, slugs[0], ("modalities", "input", index),
                        f"{kind} input: no other {model.vendor} model here accepts it; "
                        "confirm it in the vendor's documentation (provider flags are often wrong)")


def _vendor_size(catalog: Catalog, vendor: str) -> int:
    return sum(m.vendor.casefold() == vendor for m in catalog.models.values())


def thin_dimensions(catalog: Catalog) -> Iterator[SourceError]:
    """A weighted dimension most models have no data for: they would all be listed unranked.

    Imported catalogues often lack speeds; the owner should know before publishing a
    leaderboard of a fifth of the models, and choose: add the data, or weigh it 0.
    """
    marks, weights = catalog.site_marks, catalog.site.scoring.weights
    models = list(catalog.models.values())
    if marks is None or len(models) < 2:
        return
    has = {"quality": lambda m: len(m.benchmarks) >= catalog.site.scoring.min_benchmarks,
           "cost": lambda m: bool(m.pricing), "speed": lambda m: bool(m.speed),
           "context": lambda m: m.context_window_tokens is not None}
    for key, test in has.items():
        having = sum(1 for m in models if test(m))
        if getattr(weights, key) > 0 and 0 < having < len(models) / 2:
            yield marks.error(("scoring", "weights", key),
                              f"{key} is weighted but only {having} of {len(models)} models have "
                              f"its data: the others are listed unranked; add the data, or set "
                              f"scoring.weights.{key}: 0", severity=WARNING)

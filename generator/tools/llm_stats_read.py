"""Reading the LLM Stats dataset: an unpacked snapshot or a clone, checked as it is read.

The dataset behind llm-stats.com (github.com/JonathanChavezTamales/llm-leaderboard,
CC BY 4.0) keeps one JSON file per organisation, model, benchmark, licence and
provider. Everything here only reads; a path that is not the dataset or a file that
is not valid JSON is a ``BuildError`` naming the file, before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from generator.compute.credits import LLM_STATS_REPOSITORY
from generator.errors import BuildError

REPOSITORY = LLM_STATS_REPOSITORY
PRICE_SCHEMA = "schemas/provider-models.schema.json"
# The unit a price field's name states, and what one of it is worth in US dollars.
_PRICE_FIELD = re.compile(r"(input|output)_(cents|usd|dollars)_per_(million|thousand)_tokens")
_UNIT_USD = {"cents": 0.01, "usd": 1.0, "dollars": 1.0}
_PER_MILLION = {"million": 1.0, "thousand": 1000.0}

Record = Mapping[str, Any]


@dataclass(frozen=True)
class PriceUnit:
    """The dataset's price fields and the factor that turns them into USD per million tokens."""

    input_field: str
    output_field: str
    usd_per_mtok: float  # multiply a stored price by this


@dataclass(frozen=True)
class Dataset:
    """The whole dataset, as read: records by id, results and offers by model id."""

    root: Path
    ref: str | None  # the commit of a clone, when known
    organizations: Mapping[str, Record]
    models: Mapping[str, Record]
    model_paths: Mapping[str, str]  # model id -> its folder, relative to root
    results: Mapping[str, tuple[Record, ...]]  # model id -> benchmark results
    benchmarks: Mapping[str, Record]
    licenses: Mapping[str, Record]
    providers: Mapping[str, Record]
    offers: Mapping[str, tuple[Record, ...]]  # model id -> provider offers
    price_unit: PriceUnit


def read_dataset(root: Path) -> Dataset:
    """Read every file of the dataset under ``root``; raise ``BuildError`` on bad input."""
    data = root / "data"
    for needed in (data / "organizations", data / "benchmarks", data / "providers",
                   root / PRICE_SCHEMA):
        if not needed.exists():
            raise BuildError(f"{root} is not the LLM Stats dataset: {needed} is missing "
                             f"(expected an unpacked snapshot or a clone of {REPOSITORY})")
    models, paths, results = _models(root)
    offers: dict[str, list[Record]] = {}
    providers = {}
    for folder in sorted(p for p in (data / "providers").iterdir() if p.is_dir()):
        providers[folder.name] = _record(folder / "provider.json", ("provider_id", "name"))
        for offer in _records(folder / "models.json", ("model_id", "provider_id")):
            offers.setdefault(offer["model_id"], []).append(offer)
    return Dataset(
        root=root, ref=_git_commit(root),
        organizations={p.parent.name: _record(p, ("organization_id", "name"))
                       for p in sorted((data / "organizations").glob("*/organization.json"))},
        models=models, model_paths=paths, results=results,
        benchmarks=_by_id(sorted((data / "benchmarks").glob("*.json")), "benchmark_id",
                          ("name", "max_score")),
        licenses=_by_id(sorted((data / "licenses").glob("*.json")), "license_id", ("name",)),
        providers=providers,
        offers={k: tuple(sorted(v, key=lambda o: o["provider_id"])) for k, v in offers.items()},
        price_unit=read_price_unit(root / PRICE_SCHEMA))


def _models(root: Path) -> tuple[dict[str, Record], dict[str, str], dict[str, tuple[Record, ...]]]:
    models: dict[str, Record] = {}
    paths: dict[str, str] = {}
    results: dict[str, tuple[Record, ...]] = {}
    for path in sorted((root / "data" / "organizations").glob("*/models/*/model.json")):
        model = _record(path, ("model_id", "name", "organization_id"))
        model_id = model["model_id"]
        if model_id in models:
            raise BuildError(f"{path}: model id {model_id!r} is also used by "
                             f"{root / paths[model_id] / 'model.json'}")
        models[model_id] = model
        paths[model_id] = str(path.parent.relative_to(root))
        scores = path.parent / "benchmarks.json"
        results[model_id] = (_records(scores, ("benchmark_id", "score"))
                             if scores.exists() else ())
    if not models:
        raise BuildError(f"{root} is not the LLM Stats dataset: no "
                         "data/organizations/<org>/models/<id>/model.json files")
    return models, paths, results


def read_price_unit(schema: Path) -> PriceUnit:
    """The unit of the dataset's prices, read from the names and descriptions in its schema."""
    properties = _json(schema).get("properties", {})
    found = {}
    for name in properties:
        match = _PRICE_FIELD.fullmatch(name)
        if match:
            found[match.group(1)] = (name, _UNIT_USD[match.group(2)] *
                                     _PER_MILLION[match.group(3)])
    if set(found) != {"input", "output"} or found["input"][1] != found["output"][1]:
        raise BuildError(f"{schema}: no input and output price fields in a known unit "
                         "(expected e.g. input_cents_per_million_tokens)")
    return PriceUnit(found["input"][0], found["output"][0], found["input"][1])


def _git_commit(root: Path) -> str | None:
    """The commit a clone is at (read from .git, no git needed), or None."""
    head = root / ".git" / "HEAD"
    try:
        text = head.read_text(encoding="utf-8").strip()
        if text.startswith("ref: "):
            ref = text[5:]
            loose = root / ".git" / ref
            if loose.exists():
                text = loose.read_text(encoding="utf-8").strip()
            else:
                packed = (root / ".git" / "packed-refs").read_text(encoding="utf-8")
                text = next(line.split()[0] for line in packed.splitlines()
                            if line.endswith(" " + ref))
    except (OSError, StopIteration):
        return None
    return text if re.fullmatch(r"[0-9a-f]{40}", text) else None


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BuildError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise BuildError(f"{path}: cannot read it ({exc.strerror})") from None


def _record(path: Path, required: tuple[str, ...]) -> Record:
    value = _json(path)
    _require(path, value, required)
    return value


def _records(path: Path, required: tuple[str, ...]) -> tuple[Record, ...]:
    value = _json(path)
    if not isinstance(value, list):
        raise BuildError(f"{path}: expected a JSON array of records")
    for item in value:
        _require(path, item, required)
    return tuple(value)


def _require(path: Path, value: Any, required: tuple[str, ...]) -> None:
    if not isinstance(value, dict):
        raise BuildError(f"{path}: expected a JSON object, got {type(value).__name__}")
    missing = [key for key in required if key not in value]
    if missing:
        raise BuildError(f"{path}: missing {', '.join(missing)}: is this the LLM Stats dataset?")


def _by_id(paths: list[Path], key: str, required: tuple[str, ...]) -> dict[str, Record]:
    found = {}
    for path in paths:
        record = _record(path, (key, *required))
        found[record[key]] = record
    return found

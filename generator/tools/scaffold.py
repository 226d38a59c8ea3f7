"""``versus new``: a new model or article file from a commented template.

The templates (``generator/skeletons/``) list every field
of the format with its unit; the required fields are filled in, the rest are
commented out. A test keeps them complete: uncommenting every field of a new
file gives a file that validates.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
import shlex
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import BuildError
from generator.tools.editor_schema import SCHEMA_DIR
from generator.load.sources import RawProject, display_path, load_project
from generator.urls import model_slug_problem, slug_problem, suggest_slug

TEMPLATES = importlib.resources.files("generator.tools") / "skeletons"


@dataclass(frozen=True)
class Guess:
    """What models of the same line say about a new one, as defaults to confirm."""

    vendor: str | None = None
    open_weights: bool | None = None


def new_model(root: Path, name: str, *, vendor: str, open_weights: bool, today: dt.date,
              slug: str | None = None) -> Path:
    """Write ``content/models/<slug>.yaml`` for ``name``; refuse to overwrite anything."""
    project = load_project(root)
    slug = _slug(slug or suggest_slug(name), "model")
    problem = model_slug_problem(slug)
    if problem:
        raise BuildError(f"a model slug {problem} ({slug!r}): choose one with --slug")
    keys = sorted(_registry_keys(project))
    text = _fill((TEMPLATES / "model.yaml").read_text(encoding="utf-8"), {
        "__KEYS__": _comment_list(keys) if keys else "#   (none yet: add them first)",
        "__KEY__": keys[0] if keys else "mmlu",
        "__NAME__": yaml_text(_required(name, "name")),
        "__VENDOR__": yaml_text(_required(vendor, "vendor")),
        "__OPEN__": "true" if open_weights else "false",
        "__FAMILY__": yaml_text(family_of(name)),
        "__TODAY__": today.isoformat(),
    })
    return _create(root / "content" / "models" / f"{slug}.yaml", text)


def new_article(root: Path, title: str, *, today: dt.date, slug: str | None = None) -> Path:
    """Write ``content/articles/<slug>.md`` as a draft; refuse to overwrite anything."""
    project = load_project(root)
    slug = _slug(slug or suggest_slug(title), "article")
    text = _fill((TEMPLATES / "article.md").read_text(encoding="utf-8"), {
        "__TITLE__": yaml_text(_required(title, "title")),
        "__MODELS__": ", ".join(project.model_slugs[:2]),
        "__TODAY__": today.isoformat(),
    })
    return _create(root / "content" / "articles" / f"{slug}.md", text)


def guess(root: Path, name: str) -> Guess:
    """Vendor and openness shared by the models whose names start with the same word."""
    word = _first_word(name)
    fields = [doc.data for _, doc in load_project(root).models if isinstance(doc.data, dict)]
    votes = Counter((data.get("vendor"), data.get("open_weights")) for data in fields
                    if _first_word(str(data.get("name"))) == word)
    if not word or not votes:
        return Guess()
    (vendor, open_weights), _ = votes.most_common(1)[0]
    return Guess(vendor if isinstance(vendor, str) else None,
                 open_weights if isinstance(open_weights, bool) else None)


def no_terminal(vendor: str | None, open_weights: bool | None, guess: Guess) -> str:
    """Why ``versus new model`` cannot ask, naming the flags to give instead."""
    missing = [flag for flag, value in (("--vendor NAME", vendor), (
        "--open-weights or --closed-weights", open_weights)) if value is None]
    hint = [f"--vendor {shlex.quote(guess.vendor)}"] if vendor is None and guess.vendor else []
    if open_weights is None and guess.open_weights is not None:
        hint.append("--open-weights" if guess.open_weights else "--closed-weights")
    suggestion = f" (models of the same line suggest {' '.join(hint)})" if hint else ""
    return f"no terminal to ask on: give {' and '.join(missing)}{suggestion}"


def has_schema(root: Path) -> bool:
    return (root / SCHEMA_DIR / "model.schema.json").is_file()


def yaml_text(value: str) -> str:
    """``value`` as a YAML scalar that reads back as the same text (quoted when needed)."""
    try:
        plain = yaml.safe_load(value) == value and not re.search(r"#|:\s|:$|^\s|\s$", value)
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def family_of(name: str) -> str:
    """A guess at the model line: the name without a trailing size ("Llama 5 8B" -> "Llama 5")."""
    return re.sub(r"\s+\d+(\.\d+)?[BMT]\b.*$", "", name.strip()) or name.strip()


# --------------------------------------------------------------------------- helpers


def _first_word(name: str) -> str:
    return re.split(r"[\s-]+", name.strip().casefold(), maxsplit=1)[0]


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise BuildError(f"the {what} must not be empty")
    return value.strip()


def _slug(slug: str, kind: str) -> str:
    problem = slug_problem(slug)
    if problem:
        raise BuildError(f"{slug!r} cannot be a {kind} file name: it {problem}")
    return slug


def _registry_keys(project: RawProject) -> list[str]:
    data = project.benchmarks.data if project.benchmarks else None
    return [key for key in data if isinstance(key, str)] if isinstance(data, dict) else []


def _comment_list(words: list[str]) -> str:
    lines = textwrap.wrap(", ".join(words), width=84, break_on_hyphens=False)
    return "\n".join(f"#   {line}" for line in lines)


_TRAILING_NOTE = re.compile(r"^((?:# )?[^#]*?\S) {2,}(# .*)$")
NOTE_COLUMN = 34


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace the ``__TOKENS__`` and line the notes at the ends of lines up again."""
    for token, value in values.items():
        template = template.replace(token, value)
    return "".join(_TRAILING_NOTE.sub(lambda m: f"{m[1]:<{NOTE_COLUMN - 1}} {m[2]}", line)
                   for line in template.splitlines(keepends=True))


def _create(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; an existing file is never touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise BuildError(f"{display_path(path)} already exists: edit it, or choose another "
                         "name or --slug") from None
    return path

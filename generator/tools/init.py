"""``versus init``: a new site repository that installs Versus as a package.

The new repository holds content and settings only, never a copy of the generator:
``content/`` (site settings, a benchmark registry, two starter models and an
article), the GitHub Pages workflow (which installs Versus at a pinned release),
``.gitignore``, editor settings with the JSON schemas, a pre-commit config and a
short README for editors. Nothing asks questions: every choice has a flag and a
default, so ``init`` runs the same in a script as at a terminal.

The generator's own repository builds its example site with the same workflow,
made by ``workflow_text(LOCAL)`` (a test keeps the two identical).
"""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.errors import BuildError
from generator.load.sources import display_path
from generator.tools.editor_schema import write_schemas

STARTER = importlib.resources.files("generator.tools") / "starter"

# Where Versus is published. Until it is on the package index, sites install a tagged
# release straight from this repository: the tag is the version pin.
REPOSITORY = "https://github.com/versus-ssg/versus"
EXAMPLE_BASE_URL = "https://example.github.io/my-models/"

# What the generator's own workflow installs: the checked-out repository itself.
LOCAL = "."
_LOCAL_NOTE = ("  # Versus itself: this repository, so the example site is built by the code it\n"
               "  # ships. Site repositories made by `versus init` pin a tagged release here.")
_PINNED_NOTE = ("  # The Versus release this site is built with, a tagged git URL. To upgrade,\n"
                "  # change the tag (v{version}) here and rev: in .pre-commit-config.yaml to a\n"
                "  # newer release, then push.")

# Starter files and where they go in the new repository (dotted names are renamed here,
# since package data with leading dots is easy to lose).
_FILES = {
    "content/site.yaml": "content/site.yaml",
    "content/benchmarks.yaml": "content/benchmarks.yaml",
    "content/models/gpt-4o.yaml": "content/models/gpt-4o.yaml",
    "content/models/llama-3-1-70b-instruct.yaml": "content/models/llama-3-1-70b-instruct.yaml",
    "content/articles/gpt-4o-vs-llama-3-1-70b.md": "content/articles/gpt-4o-vs-llama-3-1-70b.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "vscode/settings.json": ".vscode/settings.json",
    "vscode/extensions.json": ".vscode/extensions.json",
    "README.md": "README.md",
}
WORKFLOW = ".github/workflows/pages.yml"


@dataclass(frozen=True)
class Pin:
    """The Versus release a site is built with: a pip requirement and its git tag."""

    requirement: str
    repository: str
    rev: str

    @classmethod
    def release(cls, version: str = __version__, repository: str = REPOSITORY, *,
                requirement: str | None = None) -> "Pin":
        """This release as a tagged git URL (or ``requirement``, e.g. a fork or a wheel)."""
        rev = f"v{version}"
        return cls(requirement or f"versus @ git+{repository}@{rev}", repository, rev)


def init_site(dest: Path, *, title: str = "AI Model Comparisons",
              base_url: str = EXAMPLE_BASE_URL, pin: Pin | None = None) -> list[Path]:
    """Create a site repository in ``dest`` (missing or empty); return the files written."""
    pin = pin or Pin.release()
    _refuse_non_empty(dest)
    values = {"__TITLE_YAML__": _yaml_text(title), "__TITLE__": title.strip(),
              "__BASE_URL__": _base_url(base_url), "__VERSUS_REPO__": pin.repository,
              "__VERSUS_REV__": pin.rev}
    written = []
    for name, target in _FILES.items():
        text = (STARTER / name).read_text(encoding="utf-8")
        for token, value in values.items():
            text = text.replace(token, value)
        written.append(_write(dest / target, text))
    written.append(_write(dest / WORKFLOW, workflow_text(pin)))
    written.extend(write_schemas(dest))
    return written


def next_steps(where: str, count: int) -> str:
    """What to do after ``init``, printed by the command."""
    return (f"Created {where} ({count} files). Next:\n  cd {where}\n"
            "  versus serve --open     # the site in your browser, rebuilt on every save\n"
            "Then put it on GitHub (git init, commit, push) and set Settings → Pages → "
            "Source: GitHub Actions; see README.md there.")


def workflow_text(pin: Pin | str) -> str:
    """The Pages workflow, installing ``pin`` (or ``LOCAL``: the repository it runs in)."""
    text = (STARTER / "pages.yml").read_text(encoding="utf-8")
    if isinstance(pin, str):
        requirement, note = pin, _LOCAL_NOTE
    else:
        requirement, note = pin.requirement, _PINNED_NOTE.format(version=pin.rev.lstrip("v"))
    return text.replace("__VERSUS_NOTE__", note).replace("__VERSUS__", requirement)


def _refuse_non_empty(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise BuildError(f"{display_path(dest)} is a file: choose a folder name")
    if dest.is_dir() and any(p.name != ".git" for p in dest.iterdir()):
        raise BuildError(f"{display_path(dest)} is not empty: choose a new folder, or empty "
                         "this one (versus init never overwrites files)")


def _base_url(url: str) -> str:
    if not re.match(r"https?://[^/\s]+(/\S*)?$", url):
        raise BuildError(f"--base-url {url!r} is not an http(s) address, such as "
                         f"{EXAMPLE_BASE_URL}")
    return url.rstrip("/") + "/"


def _yaml_text(value: str) -> str:
    if not value.strip():
        raise BuildError("--title must not be empty")
    return json.dumps(value.strip(), ensure_ascii=False)  # JSON strings are YAML strings


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path

"""Browser tests: the example site (the repo's own content/) built into a temp dir, served by
the standard library on 127.0.0.1 under its base path, and driven in Debian's chromium.

Playwright never downloads a browser here: it starts /usr/bin/chromium. Without chromium or
Playwright these tests are skipped with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.build import build
from generator.tools.serve import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def missing_tools() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        try:
            __import__(module)
        except ImportError:
            return f"{module.split('.')[0]} is not installed (pip install -e '.[test]')"
    return None


@dataclass(frozen=True)
class Served:
    """Where the test sites answer: the example site and a copy with few comparison pages."""

    origin: str
    out: Path  # the example site's folder

    def url(self, path: str = "", site: str = "models") -> str:
        return f"{self.origin}/{site}/{path}"


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Build both sites with base URLs on a free local port and serve them for the session."""
    root = tmp_path_factory.mktemp("served")
    sparse = tmp_path_factory.mktemp("sparse-source")
    shutil.copytree(REPO / "content", sparse / "content")
    config = (sparse / "content/site.yaml").read_text(encoding="utf-8")
    assert "per_model: all" in config
    (sparse / "content/site.yaml").write_text(config.replace("per_model: all", "per_model: 1"),
                                              encoding="utf-8")
    with serve(root) as origin:
        build(REPO, root / "models", base_url=f"{origin}/models/")
        build(sparse, root / "sparse", base_url=f"{origin}/sparse/")
        yield Served(origin, root / "models")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = missing_tools()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page in a fresh browser context, with every error it reported."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page


def open_tab(browser: Any, **options: Any) -> tuple[Any, Tab]:
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    tab = Tab(context.new_page())
    tab.page.on("console", lambda m: tab.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
    tab.page.on("pageerror", lambda e: tab.errors.append(f"uncaught: {e}"))
    tab.page.on("requestfailed", lambda r: tab.errors.append(f"failed: {r.url} {r.failure}"))
    tab.page.on("response", lambda r: tab.errors.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)
    return context, tab


@pytest.fixture
def tab(browser: Any, served: Served) -> Iterator[Tab]:
    """A desktop-sized page with JavaScript on."""
    context, tab = open_tab(browser)
    yield tab
    context.close()


@pytest.fixture
def make_tab(browser: Any, served: Served) -> Iterator[Any]:
    """Open pages with other options (phone size, dark scheme, JavaScript off)."""
    contexts = []

    def make(**options: Any) -> Tab:
        context, tab = open_tab(browser, **options)
        contexts.append(context)
        return tab

    yield make
    for context in contexts:
        context.close()

"""External checkers over what we ship: actionlint on the Pages workflow, vnu on built HTML.

Locally a missing tool skips its test with the reason; in CI (``CI=true``, where
``.ci/run`` installs them) a missing tool fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.build import build

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / ".github/workflows/pages.yml"
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def require(tool: str, found: bool, how: str) -> None:
    """Skip when a tool is missing, except in CI, where it must be there."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is missing in CI: {how}")
    pytest.skip(f"{tool} is not installed ({how})")


# --------------------------------------------------------------------------- workflow


def test_pages_workflow_passes_actionlint() -> None:
    actionlint = shutil.which("actionlint")
    require("actionlint", actionlint is not None, "pip install -e '.[test]'")
    done = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint")
    require("actionlint", actionlint is not None, "pip install -e '.[test]'")
    broken = WORKFLOW.read_text().replace("needs: build", "needs: biuld")
    (tmp_path / "pages.yml").write_text(broken)
    done = subprocess.run([actionlint, "-no-color", str(tmp_path / "pages.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "biuld" in done.stdout


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def _runs(steps: list[dict]) -> list[str]:
    return [step.get("run", "") for step in steps]


def test_workflow_runs_on_main_by_hand_and_on_pull_requests() -> None:
    triggers = _workflow()["on"]
    assert triggers["push"] == {"branches": ["main"]}
    assert "pull_request" in triggers and "workflow_dispatch" in triggers


def test_workflow_checks_then_builds_with_a_pip_cache() -> None:
    steps = _workflow()["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps[1]["with"]["cache"] == "pip"
    runs = _runs(steps)
    pages = uses.index("actions/configure-pages")
    check = runs.index('versus check --pages-url "$PAGES_URL"')
    restore = uses.index("actions/cache")
    build_ = runs.index('versus build --pages-url "$PAGES_URL"')
    linkcheck = runs.index('versus linkcheck --pages-url "$PAGES_URL"')
    upload = uses.index("actions/upload-pages-artifact")
    # The check reads the restored cache (its parses from the last run), sealed like the build's.
    assert pages < restore < check < build_ < linkcheck < upload
    assert steps[check]["env"]["VERSUS_CACHE_KEY"] == steps[build_]["env"]["VERSUS_CACHE_KEY"]
    cached = steps[restore]["with"]
    assert cached["path"].split() == ["site", ".versus-cache"]
    assert cached["key"].startswith("versus-build-") and "run_id" in cached["key"]


def test_workflow_never_fails_on_warnings() -> None:
    """Time passing makes prices stale: a warning, which must never stop a deploy."""
    runs = " ".join(_runs(_workflow()["jobs"]["build"]["steps"]))
    assert "versus check" in runs and "--strict" not in runs


def test_workflow_deploys_only_outside_pull_requests() -> None:
    jobs = _workflow()["jobs"]
    upload = next(s for s in jobs["build"]["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == "github.event_name != 'pull_request'" and upload["with"]["path"] == "site"
    deploy = jobs["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request'" and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert _workflow()["permissions"] == {"contents": "read"}


# --------------------------------------------------------------------------- HTML


SAMPLE = ["index.html", "models/gpt-4o/index.html", "compare/gpt-4o-vs-gpt-4o-mini/index.html",
          "compare/gpt-4o-mini-vs-gpt-4o/index.html", "articles/llama-vs-gpt-4o-guide/index.html",
          "methodology/index.html", "404.html", "compare/index.html", "models/index.html",
          "articles/index.html"]


def run_vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    require("java", java is not None, "apt-get install default-jre-headless")
    require("vnu.jar", VNU_JAR.is_file(), "npm ci --ignore-scripts")
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *map(str, files)], capture_output=True, text=True)
    return json.loads(done.stderr or '{"messages": []}')["messages"]


def test_example_site_has_no_html_errors(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(ROOT, out)
    files = [out / name for name in SAMPLE]
    assert all(f.is_file() for f in files)
    errors = run_vnu(files)
    assert errors == [], "\n".join(f"{e.get('url')}:{e.get('lastLine')}: {e['message']}"
                                   for e in errors)


def test_vnu_reports_invalid_html(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html lang=en><title>x</title><p><div></p>")
    assert any("“p”" in e["message"] for e in run_vnu([page]))

"""End to end: build a small real site in a temp dir and read the HTML back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import EXPECTED, parse_html, tree_bytes, write_files
from generator.build import build
from generator.cli import main


def site_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html"))


def resolve(out: Path, base_path: str, href: str) -> Path | None:
    """The file a root-relative link points at when the site is served at ``base_path``."""
    path = urlsplit(href).path
    assert path.startswith(base_path), f"{href} escapes the base path {base_path}"
    relative = path[len(base_path):]
    target = out / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def check_links(out: Path, base_path: str) -> int:
    """Every internal href/src resolves to a file, and every #fragment to an id there."""
    checked = 0
    ids: dict[Path, set[str]] = {}
    for page in site_files(out):
        doc = parse_html(page)
        for el in doc.iter():
            for attr in ("href", "src"):
                value = el.attrs.get(attr)
                if not value or el.tag == "link" and el.attrs.get("rel") == "canonical":
                    continue
                parts = urlsplit(value)
                if parts.scheme in ("http", "https", "mailto", "data"):
                    continue
                target = page if not parts.path else resolve(out, base_path, value)
                assert target is not None, f"{page.relative_to(out)}: broken link {value}"
                if parts.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {e.attrs["id"] for e in parse_html(target).iter()
                                       if e.attrs.get("id")}
                    assert parts.fragment in ids[target], f"{page}: missing #{parts.fragment}"
                checked += 1
    return checked


def test_builds_every_page_kind(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build(basic_site, out)
    expected = [
        "index.html", "404.html", ".nojekyll", "static/style.css",
        "models/index.html", "models/alpha-70b/index.html", "models/gamma-3b/index.html",
        "compare/index.html", "compare/alpha-70b-vs-beta-pro/index.html",
        "compare/beta-pro-vs-alpha-70b/index.html", "articles/index.html",
        "articles/alpha-vs-beta/index.html", "api/models.json", "api/comparisons.json",
    ]
    for name in expected:
        assert (out / name).is_file(), name
    assert report.pages_written == len(site_files(out))
    assert not (out / "articles/draft-notes").exists()


def test_every_internal_link_resolves_under_a_sub_path(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    assert check_links(out, "/repo/") > 100


def test_every_internal_link_resolves_at_a_domain_root(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out, base_url="https://models.example.com")
    assert check_links(out, "/") > 100
    canonical = parse_html(out / "models/alpha-70b/index.html").find("link", rel="canonical")
    assert canonical.attrs["href"] == "https://models.example.com/models/alpha-70b/"


def test_reverse_pair_url_redirects_to_the_canonical_page(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    doc = parse_html(out / "compare/beta-pro-vs-alpha-70b/index.html")
    refresh = doc.find("meta", **{"http-equiv": "refresh"})
    assert refresh.attrs["content"] == "0; url=/repo/compare/alpha-70b-vs-beta-pro/"
    canonical = doc.find("link", rel="canonical")
    assert canonical.attrs["href"] == "https://example.github.io/repo/compare/alpha-70b-vs-beta-pro/"
    assert doc.find("meta", name="robots").attrs["content"] == "noindex"


def test_drafts_are_built_only_when_asked(basic_site: Path, tmp_path: Path) -> None:
    build(basic_site, tmp_path / "a")
    build(basic_site, tmp_path / "b", drafts=True)
    assert not (tmp_path / "a/articles/draft-notes/index.html").exists()
    assert (tmp_path / "b/articles/draft-notes/index.html").is_file()


def test_two_builds_of_the_same_input_are_byte_identical(basic_site: Path, tmp_path: Path) -> None:
    build(basic_site, tmp_path / "one")
    build(basic_site, tmp_path / "two")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_pages_of_deleted_content_disappear(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    assert (out / "models/gamma-3b/index.html").exists()
    (basic_site / "content/models/gamma-3b.yaml").unlink()
    build(basic_site, out)
    assert not (out / "models/gamma-3b").exists()
    assert not (out / "compare/alpha-70b-vs-gamma-3b").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".versus-cache", "basic", "out"]


@pytest.mark.parametrize("name", ["models.json", "comparisons.json"])
def test_json_export_matches_golden_file(basic_site: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    actual = (out / "api" / name).read_text(encoding="utf-8")
    golden = EXPECTED / "basic" / "api" / name
    if os.environ.get("VERSUS_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), (
        "export changed; if on purpose, rerun with VERSUS_UPDATE_GOLDEN=1 and review the diff")


def test_export_carries_inputs_and_computed_facts(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    models = {m["slug"]: m for m in json.loads((out / "api/models.json").read_text())}
    assert list(models) == ["alpha-70b", "beta-pro", "gamma-3b"]
    alpha = models["alpha-70b"]
    assert alpha["url"] == "https://example.github.io/repo/models/alpha-70b/"
    assert alpha["context_window_tokens"] == 131072 and alpha["released"] == "2024-07-23"
    computed = alpha["computed"]
    assert computed["blended_usd_per_mtok"] == pytest.approx((3 * 0.59 + 0.79) / 4)
    assert computed["vram_gb"] == {"fp16": 140, "int8": 70, "int4": 35}
    assert computed["self_hosting_usd_per_mtok"] == [pytest.approx(0.552778, abs=1e-6),
                                                     pytest.approx(1.101852, abs=1e-6)]
    assert set(computed["scores"]) == {"overall", "quality", "cost", "speed", "context", "openness"}
    gamma = models["gamma-3b"]["computed"]
    assert gamma["blended_usd_per_mtok"] is None and gamma["scores"]["quality"] is None
    pairs = json.loads((out / "api/comparisons.json").read_text())
    assert [(p["a"], p["b"]) for p in pairs] == [
        ("alpha-70b", "beta-pro"), ("alpha-70b", "gamma-3b"), ("beta-pro", "gamma-3b")]
    assert all(p["a"] < p["b"] for p in pairs)


def test_model_page_shows_computed_costs_with_units(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    doc = parse_html(out / "models/alpha-70b/index.html")
    assert doc.find("h1").text == "Alpha 70B"
    rows = [tr.text for tr in doc.find("table", **{}).iter("tr")] if doc.find("table") else []
    assert rows
    text = doc.text
    assert "$0.55" in text and "$1.10" in text  # 1×1.99/(1000×3600)×1e6 and 2×1.19/(600×3600)×1e6
    assert "140 GB" in text and "35 GB" in text
    assert "131,072 tokens (128K)" in text


def test_missing_data_reads_as_a_dash_never_as_none(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    for page in ("models/gamma-3b/index.html", "compare/beta-pro-vs-gamma-3b/index.html"):
        text = parse_html(out / page).text
        for word in ("None", "nan", "null", "$0 "):
            assert word not in text, (page, word)
        assert "—" in text


def test_comparison_page_has_the_side_by_side_table(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    doc = parse_html(out / "compare/alpha-70b-vs-beta-pro/index.html")
    assert doc.find("h1").text == "Alpha 70B vs Beta Pro"
    table = doc.find("table", **{"class": "side-by-side"})
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")] for tr in table.iter("tr")
            if tr.find("td")}
    for label in ("Vendor", "Release date", "Parameters", "Architecture", "Context window",
                  "Input", "Languages", "Licence", "Open weights", "Fine-tuning",
                  "Blended price (3:1)", "Free tier"):
        assert label in rows, label
    assert "MMLU" not in rows  # benchmarks have their own table below, not a second copy here
    assert rows["Vendor"] == ["Acme", "Bigco"]
    assert rows["Input"] == ["text", "text, image, audio"]
    assert rows["Blended price (3:1)"][0].startswith("$0.64")
    assert rows["Blended price (3:1)"][1].startswith("$4.38")
    capabilities = [h.text for h in doc.find_all("h2")]
    assert "Alpha 70B capabilities" in capabilities and "Beta Pro capabilities" in capabilities
    lede = doc.find("p", **{"class": "lede"}).text
    assert "Alpha 70B costs 6.8× less per million tokens" in lede


def test_article_has_contents_anchors_footnotes_and_model_links(basic_site: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    doc = parse_html(out / "articles/alpha-vs-beta/index.html")
    toc = doc.find("nav", **{"class": "toc"})
    assert [a.attrs["href"] for a in toc.iter("a")] == ["#prices", "#self-hosting", "#footnotes"]
    assert doc.find("h2", id="prices") is not None
    assert doc.find("sup", id="fnref:1") is not None and doc.find("li", id="fn:1") is not None
    assert doc.find("code", **{"class": "language-bash"}) is not None
    related = doc.find("aside", **{"class": "related"})
    hrefs = [a.attrs["href"] for a in related.iter("a")]
    assert hrefs == ["/repo/models/alpha-70b/", "/repo/models/beta-pro/",
                     "/repo/compare/alpha-70b-vs-beta-pro/"]
    body_links = [a.attrs["href"] for a in doc.find("div", **{"class": "prose"}).iter("a")]
    assert "/repo/models/alpha-70b/" in body_links
    text = doc.text
    assert "10 Mar 2026" in text and "last updated" in text and "20 Mar 2026" in text


def test_project_templates_override_the_theme_by_name(basic_site: Path, tmp_path: Path) -> None:
    write_files(basic_site, {
        "templates/404.html": "{% extends 'base.html' %}{% block content %}<h1>Lost?</h1>"
                              "{% endblock %}",
        "templates/static/style.css": "body { color: red }\n",
    })
    out = tmp_path / "out"
    build(basic_site, out)
    assert parse_html(out / "404.html").find("h1").text == "Lost?"
    assert (out / "static/style.css").read_text() == "body { color: red }\n"
    assert parse_html(out / "index.html").find("h1").text == "Test Match"


def test_a_typo_in_a_template_fails_the_build_with_its_position(basic_site: Path, runner) -> None:
    write_files(basic_site, {"templates/404.html": "{% extends 'base.html' %}\n{% block content %}"
                                                   "\n{{ oops( }}\n{% endblock %}"})
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert "templates/404.html:3:1: template syntax error" in result.output
    assert "Traceback" not in result.output


def test_a_typo_in_a_fragment_fails_the_build_with_its_position(basic_site: Path, runner) -> None:
    write_files(basic_site, {"templates/partials/score_card.html": "<div>\n{% if %}\n</div>\n"})
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert "templates/partials/score_card.html:2:1: template syntax error" in result.output
    assert "Traceback" not in result.output


def test_an_undefined_template_variable_fails_the_build(basic_site: Path, runner) -> None:
    write_files(basic_site, {"templates/404.html": "{% extends 'base.html' %}"
                                                   "{% block content %}{{ no_such }}{% endblock %}"})
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert "'no_such' is undefined" in result.output
    assert not (basic_site / "site").exists()


def test_cli_build_prints_one_summary_line(basic_site: Path, runner) -> None:
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built 17 pages")  # 16 + the search page; warnings go to stderr
    assert (basic_site / "site/index.html").is_file()


def test_python_dash_m_generator_runs_the_same_cli(basic_site: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(basic_site),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/index.html").is_file()

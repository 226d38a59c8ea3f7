"""Structured data and sharing meta: valid JSON-LD that matches what the page shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import parse_html
from generator.build import build


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import SITES

    root = tmp_path_factory.mktemp("structured")
    shutil.copytree(SITES / "basic", root / "basic")
    build(root / "basic", root / "out")
    return root / "out"


def jsonld(doc) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    found = {}
    for script in doc.find_all("script", type="application/ld+json"):
        data = json.loads(script.text)
        found[data["@type"]] = data
    return found


def pages(out: Path) -> list[Path]:
    return [p for p in sorted(out.rglob("index.html")) if "refresh" not in p.read_text()]


def test_every_page_has_canonical_opengraph_and_twitter_meta(out: Path) -> None:
    for page in pages(out) + [out / "404.html"]:
        doc = parse_html(page)
        canonical = doc.find("link", rel="canonical").attrs["href"]
        assert canonical.startswith("https://example.github.io/repo/"), page
        meta = {m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
                for m in doc.find_all("meta")}
        assert meta["og:url"] == canonical
        assert meta["og:title"] == doc.find("title").text == meta["twitter:title"]
        assert meta["og:description"] == meta["description"] == meta["twitter:description"]
        assert meta["og:description"] and meta["twitter:card"] == "summary"


def test_json_ld_parses_and_breadcrumbs_match_the_visible_trail(out: Path) -> None:
    for page in pages(out):
        doc = parse_html(page)
        data = jsonld(doc)
        trail = data["BreadcrumbList"]["itemListElement"]
        assert trail[0]["name"] == "Home" and trail[0]["item"] == "https://example.github.io/repo/"
        visible = doc.find("nav", **{"aria-label": "Breadcrumb"})
        names = [li.text for li in visible.iter("li")] if visible else ["Home"]
        assert [item["name"] for item in trail] == names, page
        assert [item["position"] for item in trail] == list(range(1, len(trail) + 1))


@pytest.mark.parametrize("page", ["compare/alpha-70b-vs-beta-pro/index.html",
                                  "models/alpha-70b/index.html", "models/gamma-3b/index.html"])
def test_faq_page_lists_the_same_questions_as_the_page(out: Path, page: str) -> None:
    doc = parse_html(out / page)
    shown = [(d.find("summary").text, d.find("div").text) for d in doc.find_all("details")]
    listed = [(q["name"], " ".join(q["acceptedAnswer"]["text"].split()))
              for q in jsonld(doc)["FAQPage"]["mainEntity"]]
    assert shown and listed == shown


def test_article_json_ld_matches_the_article(out: Path) -> None:
    doc = parse_html(out / "articles/alpha-vs-beta/index.html")
    article = jsonld(doc)["Article"]
    assert article["headline"] == doc.find("h1").text == "Alpha vs Beta"
    assert (article["datePublished"], article["dateModified"]) == ("2026-03-10", "2026-03-20")
    assert article["mainEntityOfPage"] == "https://example.github.io/repo/articles/alpha-vs-beta/"
    assert article["description"] == "Open weights against a closed API."


def test_leaderboard_item_list_follows_the_table(out: Path) -> None:
    doc = parse_html(out / "index.html")
    rows = [tr.find("th").find("a").text
            for tr in doc.find("table", **{"class": "leaderboard"}).find("tbody").iter("tr")]
    items = jsonld(doc)["ItemList"]["itemListElement"]
    assert [i["name"] for i in items] == rows == ["Alpha 70B", "Beta Pro", "Gamma 3B"]
    assert items[0]["url"] == "https://example.github.io/repo/models/alpha-70b/"


def test_json_ld_cannot_be_broken_out_of(basic_site: Path, tmp_path: Path) -> None:
    from conftest import write_files

    path = basic_site / "content/models/gamma-3b.yaml"
    write_files(basic_site, {"content/models/gamma-3b.yaml": path.read_text() + (
        "faq:\n  - question: 'Is </script><script>alert(1)</script> safe?'\n    answer: Yes & no.\n")})
    build(basic_site, tmp_path / "out")
    doc = parse_html(tmp_path / "out/models/gamma-3b/index.html")
    inline = [s for s in doc.find_all("script") if "src" not in s.attrs
              and s.attrs.get("type") != "application/ld+json"]
    assert all("alert" not in s.text for s in inline)  # the theme's own inline scripts only
    faq = jsonld(doc)["FAQPage"]["mainEntity"][0]
    assert faq["name"] == "Is </script><script>alert(1)</script> safe?"

"""Incremental builds: a rebuild from the cache is byte-identical to a clean build, always."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITES, copy_site, tree_bytes, write_files
from generator.output import parallel
from generator import plan
from generator.render import renderer as render
from generator.build import build
from generator.output.cache import cache_dir
from generator.cli import main
from generator.errors import BuildError, ContentError

# --------------------------------------------------------------------------- edits

Edit = Callable[[Path, random.Random], None]


def _models(site: Path) -> list[Path]:
    return sorted((site / "content/models").glob("*.yaml"))


def _edit_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _edit_model(site: Path, rng: random.Random, change: Callable[[dict, random.Random], None]) -> None:
    models = _models(site)
    if models:
        _edit_yaml(rng.choice(models), lambda data: change(data, rng))


def model_text(site: Path, rng: random.Random) -> None:
    _edit_model(site, rng, lambda d, r: d.update(summary=f"Summary number {r.randint(0, 99)}."))


def model_capability(site: Path, rng: random.Random) -> None:
    def change(d: dict, r: random.Random) -> None:
        d["capabilities"] = [{"title": f"Skill {r.randint(0, 9)}",
                              "description": f"Does *thing* {r.randint(0, 9)}."}]
    _edit_model(site, rng, change)


def model_name(site: Path, rng: random.Random) -> None:
    _edit_model(site, rng, lambda d, r: d.update(name=f"Model {r.randint(0, 99)}"))


def model_vendor(site: Path, rng: random.Random) -> None:
    _edit_model(site, rng, lambda d, r: d.update(vendor=f"Vendor {r.randint(0, 9)}"))


def model_released(site: Path, rng: random.Random) -> None:
    _edit_model(site, rng, lambda d, r: d.update(released=f"2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}"))


def benchmark_score(site: Path, rng: random.Random) -> None:
    def change(d: dict, r: random.Random) -> None:
        key = r.choice(["mmlu", "gpqa", "humaneval"])
        d.setdefault("benchmarks", {})[key] = {"score": round(r.uniform(0, 100), 1)}
    _edit_model(site, rng, change)


def benchmark_removed(site: Path, rng: random.Random) -> None:
    _edit_model(site, rng, lambda d, r: d.get("benchmarks", {}).pop(
        r.choice(["mmlu", "gpqa", "humaneval"]), None))


def price(site: Path, rng: random.Random) -> None:
    def change(d: dict, r: random.Random) -> None:
        d["pricing"] = [{"provider": "Host", "input_usd_per_mtok": round(r.uniform(0, 20), 2),
                         "output_usd_per_mtok": round(r.uniform(0, 60), 2)}]
    _edit_model(site, rng, change)


def model_deleted(site: Path, rng: random.Random) -> None:
    models = _models(site)
    if len(models) > 1:
        rng.choice(models).unlink()


def model_added(site: Path, rng: random.Random) -> None:
    slug = f"new-{rng.randint(0, 999)}"
    write_files(site, {f"content/models/{slug}.yaml": (
        f"name: New {slug}\nvendor: Newco\nopen_weights: {rng.choice(['true', 'false'])}\n"
        f"benchmarks:\n  mmlu: {{score: {rng.randint(1, 99)}}}\n")})


def article_text(site: Path, rng: random.Random) -> None:
    articles = sorted((site / "content/articles").glob("*.md"))
    if articles:
        path = rng.choice(articles)
        path.write_text(path.read_text(encoding="utf-8") + f"\nMore text {rng.randint(0, 99)}.\n",
                        encoding="utf-8")


def article_added_or_deleted(site: Path, rng: random.Random) -> None:
    path = site / "content/articles/extra.md"
    if path.exists():
        path.unlink()
        return
    slugs = [p.stem for p in _models(site)]
    named = ", ".join(sorted(rng.sample(slugs, min(2, len(slugs)))))
    write_files(site, {"content/articles/extra.md": (
        f"---\ntitle: Extra {rng.randint(0, 9)}\ndate: 2026-05-0{rng.randint(1, 9)}\n"
        f"models: [{named}]\n---\nSee [the models](/models/).\n")})


def article_embed(site: Path, rng: random.Random) -> None:
    """Live data in an article, of a model its front matter may not name (or of every model)."""
    path = site / "content/articles/alpha-vs-beta.md"
    slugs = [p.stem for p in _models(site)]
    if not path.exists() or not slugs:
        return
    slug, field = rng.choice(slugs), rng.choice(["blended_usd_per_mtok", "name", "scores.overall"])
    embed = rng.choice([f"{{{{ {slug}.{field} }}}}", "\n```versus\nbenchmark: mmlu\n```\n",
                        f"\n```versus\ntable: [{slug}]\nfields: [{field}]\n```\n"])
    path.write_text(path.read_text(encoding="utf-8") + f"\nLive: {embed}\n", encoding="utf-8")


def site_settings(site: Path, rng: random.Random) -> None:
    def change(d: dict) -> None:
        d["title"] = f"Match {rng.randint(0, 9)}"
        d["comparisons"] = {"per_model": rng.choice(["all", 1])}
        d["scoring"] = {"weights": {"quality": rng.choice([0.45, 0.9]), "cost": 0.2}}
    _edit_yaml(site / "content/site.yaml", change)


def benchmark_registry(site: Path, rng: random.Random) -> None:
    _edit_yaml(site / "content/benchmarks.yaml",
               lambda d: d["gpqa"].update(name=f"GPQA {rng.randint(0, 9)}"))


def template_override(site: Path, rng: random.Random) -> None:
    target = rng.choice(["templates/partials/summary.html", "templates/redirect.html",
                         "templates/static/style.css", "templates/partials/score_card.html",
                         "templates/faq.html", "templates/partials/embeds.html",
                         "templates/partials/verdict.html"])
    path = site / target
    if path.exists():
        path.unlink()
        return
    source = (render.THEME / target.replace("templates/", "templates/", 1)
              if not target.startswith("templates/static") else
              render.THEME / "static" / "style.css")
    text = Path(str(source)).read_text(encoding="utf-8")
    # Words each template shows (faq.html and embeds.html are macro libraries: only a
    # change inside a macro shows).
    word = {"templates/faq.html": "How much does", "templates/partials/embeds.html": "<table>",
            "templates/partials/verdict.html": "Choose"}.get(target, "vs")
    write_files(site, {target: text.replace(word, word.upper(), 1) + f"\n<!-- {rng.randint(0, 9)} -->\n"
                       if target.endswith(".html") else text + "\nbody { margin: 0 }\n"})


EDITS: tuple[Edit, ...] = (model_text, model_capability, model_name, model_vendor, model_released,
                           benchmark_score,
                           benchmark_removed, price, model_deleted, model_added, article_text,
                           article_added_or_deleted, article_embed, site_settings,
                           benchmark_registry, template_override)


def build_or_error(site: Path, out: Path, **options) -> str | None:  # type: ignore[no-untyped-def]
    """Build; a content error is a possible outcome of a random edit, not a failure."""
    try:
        build(site, out, **options)
    except ContentError as exc:
        return "; ".join(e.message for e in exc.errors)
    return None


# --------------------------------------------------------------------------- the property


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**32)),
                      min_size=1, max_size=4))
def test_an_incremental_build_is_byte_identical_to_a_clean_build(edits) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = copy_site("basic", root)
        incremental = root / "incremental"
        build(site, incremental)
        for step, (edit, seed) in enumerate(edits):
            edit(site, random.Random(seed))
            before = tree_bytes(incremental)
            problem = build_or_error(site, incremental)
            cold = root / f"cold-{step}"  # a new folder: a build from nothing at all
            if problem is not None:  # both refuse the content, and the old site stays
                assert build_or_error(site, cold, cache=False) == problem
                assert tree_bytes(incremental) == before
                continue
            assert build_or_error(site, cold, cache=False) is None
            assert tree_bytes(incremental) == tree_bytes(cold), edit.__name__
        assert sorted(p.name for p in root.iterdir() if ".tmp-" in p.name) == []


def test_every_page_kind_is_keyed_on_everything_it_reads(tmp_path: Path) -> None:
    """The cache check renders kept pages too: any page with an input missing from its key fails."""
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    build(site, out)
    rng = random.Random(8)
    for edit in EDITS * 2:
        edit(site, rng)
        try:
            build(site, out, check_cache=True)
        except ContentError:
            continue


def test_an_under_declared_page_is_caught_by_the_cache_check(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    original = plan.plan_site

    def forgetful(catalog, pairs):  # type: ignore[no-untyped-def]
        planned = original(catalog, pairs)
        pages = tuple(p if p.kind != "compare" else
                      type(p)(p.url, p.kind, p.template, p.args, frozenset({plan.SITE}))
                      for p in planned.pages)
        return type(planned)(pages, planned.pairs, planned.partners)

    monkeypatch.setattr("generator.analyse.plan_site", forgetful)
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    build(site, out)
    _edit_yaml(site / "content/models/beta-pro.yaml", lambda d: d.update(name="Beta Max"))
    with pytest.raises(BuildError, match="compare page.*plan inputs miss"):
        build(site, out, check_cache=True)


# Reads that no random series is sure to hit: each is a page that shows data from beyond
# its own files. The cache check fails if such a page is kept while its bytes changed.
def _set_price(site: Path, slug: str, usd: float) -> None:
    _edit_yaml(site / f"content/models/{slug}.yaml", lambda d: d.update(pricing=[
        {"provider": "Host", "input_usd_per_mtok": usd, "output_usd_per_mtok": usd * 2}]))


@pytest.mark.parametrize("embed", ["{{ gamma-3b.blended_usd_per_mtok }}",
                                   "\n```versus\ntable: [gamma-3b]\nfields: [blended_usd_per_mtok]\n```\n",
                                   "\n```versus\nbenchmark: mmlu\n```\n"])
def test_an_article_follows_the_models_its_embeds_show(tmp_path: Path, embed: str) -> None:
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    article = site / "content/articles/alpha-vs-beta.md"  # about alpha and beta, not gamma
    article.write_text(article.read_text(encoding="utf-8") + f"\nLive: {embed}\n", encoding="utf-8")
    gamma = site / "content/models/gamma-3b.yaml"
    _edit_yaml(gamma, lambda d: d.setdefault("benchmarks", {}).update(mmlu={"score": 12.5}))
    build(site, out)
    # Neither edit moves any score (a score edit would re-render every page anyway).
    _set_price(site, "gamma-3b", 7.0)
    _edit_yaml(gamma, lambda d: d["benchmarks"]["mmlu"].update(source="Gamma's own paper"))
    build(site, out, check_cache=True)
    html = (out / "articles/alpha-vs-beta/index.html").read_text()
    # blended at 3:1 from $7 in and $14 out
    assert ("Gamma&#39;s own paper" in html) if "mmlu" in embed else ("$8.75" in html)


@pytest.mark.parametrize("template", ["faq.html", "partials/embeds.html"])
def test_pages_follow_the_templates_their_context_renders(tmp_path: Path, template: str) -> None:
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    article = site / "content/articles/alpha-vs-beta.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n{{ gamma-3b.name }}\n",
                       encoding="utf-8")
    build(site, out)
    text = (render.THEME / "templates" / template).read_text(encoding="utf-8")
    word = {"faq.html": "How much does", "partials/embeds.html": "href="}[template]
    write_files(site, {f"templates/{template}": text.replace(word, f"data-x {word}")
                       if template.endswith("embeds.html") else text.replace(word, "What is")})
    build(site, out, check_cache=True)


def test_the_first_article_links_the_feed_from_every_page(tmp_path: Path) -> None:
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    article = site / "content/articles/alpha-vs-beta.md"
    text = article.read_text(encoding="utf-8")
    article.unlink()
    build(site, out)
    assert not (out / "feed.xml").exists()
    article.write_text(text, encoding="utf-8")
    build(site, out, check_cache=True)
    assert 'type="application/atom+xml"' in (out / "models/alpha-70b/index.html").read_text()


def test_a_vendor_reaches_the_search_index_and_a_date_the_sitemap(tmp_path: Path) -> None:
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    build(site, out)
    gamma = site / "content/models/gamma-3b.yaml"
    _edit_yaml(gamma, lambda d: d.update(vendor="Newco"))
    build(site, out, check_cache=True)
    assert "Newco" in (out / "search/index.json").read_text()
    _edit_yaml(gamma, lambda d: d.update(released="2026-10-01"))
    build(site, out, check_cache=True)
    assert "2026-10-01" in (out / "sitemap.xml").read_text()


def test_a_new_name_reaches_the_pickers_of_other_models(tmp_path: Path) -> None:
    site = copy_site("basic", tmp_path)
    out = tmp_path / "out"
    build(site, out)
    _edit_yaml(site / "content/models/gamma-3b.yaml", lambda d: d.update(name="Gamma Renamed"))
    build(site, out, check_cache=True)
    assert "Gamma Renamed" in (out / "models/alpha-70b/index.html").read_text()
    assert "Gamma Renamed" in (out / "404.html").read_text()


# --------------------------------------------------------------------------- what gets done


def inodes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_ino for p in out.rglob("*") if p.is_file()}


def test_a_rebuild_with_nothing_changed_does_nothing(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(basic_site, out)
    before, files = tree_bytes(out), inodes(out)
    again = build(basic_site, out)
    assert again.up_to_date and again.pages_rendered == 0
    assert (again.pages_written, again.files_written, again.bytes_written) == (
        first.pages_written, first.files_written, first.bytes_written)
    assert tree_bytes(out) == before and inodes(out) == files


def test_editing_one_models_text_rewrites_only_pages_that_show_it(basic_site: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    files = inodes(out)
    _edit_yaml(basic_site / "content/models/gamma-3b.yaml",
               lambda d: d.update(summary="A small open model, now with a summary."))
    report = build(basic_site, out)
    changed = {path for path, ino in inodes(out).items() if files.get(path) != ino}
    # the two files whose bytes changed, and the marker that names the site by its files
    assert report.incremental and changed == {"models/gamma-3b/index.html", "api/models.json",
                                              ".versus-build"}
    assert report.files_updated == 2 and report.files_removed == 0
    # Rendered again: what reads the model (its page, 2 comparisons, 2 redirects; the home
    # page, model list, methodology and models.json); not the comparison list, the search
    # index, comparisons.json, the sitemap or other models' pages, which show only names,
    # scores or dates.
    assert report.pages_rendered == 1 + 2 + 2 + 4


def test_editing_a_score_reaches_every_page_that_shows_scores(basic_site: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    before = tree_bytes(out)
    _edit_yaml(basic_site / "content/models/beta-pro.yaml",
               lambda d: d["benchmarks"]["mmlu"].update(score=20.0))
    build(basic_site, out)
    after = tree_bytes(out)
    # The catalogue-wide fit moves Alpha's quality too, though its file did not change.
    assert after["models/alpha-70b/index.html"] != before["models/alpha-70b/index.html"]
    assert after["compare/beta-pro-vs-alpha-70b/index.html"] == \
        before["compare/beta-pro-vs-alpha-70b/index.html"]  # a redirect shows no score


def test_pages_of_deleted_content_and_their_folders_disappear(basic_site: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    (basic_site / "content/articles/alpha-vs-beta.md").unlink()
    (basic_site / "content/models/gamma-3b.yaml").unlink()
    report = build(basic_site, out)
    # The article, the model, its two comparisons and their redirects, and the feed (which
    # has no article left).
    assert report.incremental and report.files_removed == 1 + 1 + 2 * 2 + 1
    for gone in ("articles/alpha-vs-beta", "models/gamma-3b", "compare/alpha-70b-vs-gamma-3b",
                 "compare/gamma-3b-vs-beta-pro", "feed.xml"):
        assert not (out / gone).exists(), gone
    clean = tmp_path / "clean"
    build(basic_site, clean, cache=False)
    assert tree_bytes(out) == tree_bytes(clean)


def test_rendering_in_several_processes_gives_the_same_bytes(basic_site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    build(basic_site, tmp_path / "one", workers=1)
    monkeypatch.setattr(parallel, "POOL_MIN_PAGES", 0)
    monkeypatch.setattr(parallel, "CHUNK_MAX_PAGES", 3)
    build(basic_site, tmp_path / "many", workers=3)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "many")
    _edit_yaml(basic_site / "content/models/alpha-70b.yaml", lambda d: d.update(name="Alpha X"))
    build(basic_site, tmp_path / "one", workers=1)
    build(basic_site, tmp_path / "many", workers=3)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "many")


def test_a_template_error_in_a_worker_fails_the_build_cleanly(basic_site: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    before = tree_bytes(out)
    write_files(basic_site, {"templates/redirect.html": "{{ no_such_thing }}"})
    monkeypatch.setattr(parallel, "POOL_MIN_PAGES", 0)
    with pytest.raises(BuildError, match="'no_such_thing' is undefined"):
        build(basic_site, out, workers=2)
    assert tree_bytes(out) == before
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_cached_fragments_change_nothing(basic_site: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build(basic_site, tmp_path / "cached")
    monkeypatch.setattr(render, "FRAGMENT_CACHE_SIZE", 1)
    monkeypatch.setattr(render, "FRAGMENTS_PER_MODEL", 0)
    build(basic_site, tmp_path / "uncached")
    assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "uncached")


# --------------------------------------------------------------------------- a cache not to trust


def _damage_pages(cache: Path) -> None:
    raw = (cache / "pages.bin").read_bytes()
    (cache / "pages.bin").write_bytes(raw[: len(raw) // 2])


def _garble_state(cache: Path) -> None:
    (cache / "state.json").write_text("{not json", encoding="utf-8")


def _old_format(cache: Path) -> None:
    from generator.sealed import sign_text

    state = json.loads(json.loads((cache / "state.json").read_text())["state"])
    state["format"] = -1  # sealed again: a genuine cache of another format
    text = json.dumps(state)
    (cache / "state.json").write_text(json.dumps({"seal": sign_text("state", text), "state": text}))


def _delete_cache(cache: Path) -> None:
    shutil.rmtree(cache)


def _cache_is_a_file(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_text("not a folder")


@pytest.mark.parametrize("damage", [_damage_pages, _garble_state, _old_format, _delete_cache,
                                    _cache_is_a_file])
def test_a_damaged_cache_never_gives_a_wrong_site(basic_site: Path, tmp_path: Path,
                                                  damage: Callable[[Path], None]) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    _edit_yaml(basic_site / "content/models/alpha-70b.yaml", lambda d: d.update(name="Alpha 2"))
    damage(cache_dir(out))
    report = build(basic_site, out)
    assert not report.incremental and not report.up_to_date
    build(basic_site, tmp_path / "clean", cache=False)
    assert tree_bytes(out) == tree_bytes(tmp_path / "clean")


def test_a_cache_saved_before_the_last_build_is_not_trusted(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = basic_site / "content/models/alpha-70b.yaml"
    original = path.read_text()
    build(basic_site, out)
    saved = tmp_path / "saved-cache"
    shutil.copytree(cache_dir(out), saved)
    _edit_yaml(path, lambda d: d.update(name="Alpha 2"))
    build(basic_site, out)  # updates the site in place
    shutil.rmtree(cache_dir(out))
    shutil.copytree(saved, cache_dir(out))  # the cache of the first build is back
    path.write_text(original)  # and so is the first build's content
    report = build(basic_site, out)
    assert not report.up_to_date and not report.incremental
    build(basic_site, tmp_path / "clean", cache=False)
    assert tree_bytes(out) == tree_bytes(tmp_path / "clean")


def test_a_site_and_its_cache_restored_together_are_trusted(basic_site: Path,
                                                           tmp_path: Path) -> None:
    """What a CI cache does: both folders come back as new files, with new inodes and times."""
    out = tmp_path / "out"
    build(basic_site, out)
    for folder in (out, cache_dir(out)):
        shutil.copytree(folder, tmp_path / "saved", copy_function=shutil.copy)
        shutil.rmtree(folder)
        shutil.move(tmp_path / "saved", folder)
    assert build(basic_site, out).up_to_date
    _edit_yaml(basic_site / "content/models/gamma-3b.yaml", lambda d: d.update(summary="New."))
    report = build(basic_site, out)
    assert report.incremental and report.pages_rendered == 1 + 2 + 2 + 4
    build(basic_site, tmp_path / "clean", cache=False)
    assert tree_bytes(out) == tree_bytes(tmp_path / "clean")


def test_the_marker_names_the_site_by_its_files(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    first = (out / ".versus-build").read_text()
    assert first.startswith("versus ") and "\nsite " in first
    _edit_yaml(basic_site / "content/models/gamma-3b.yaml", lambda d: d.update(summary="New."))
    build(basic_site, out)
    assert (out / ".versus-build").read_text() != first
    build(basic_site, tmp_path / "clean", cache=False)  # the same files: the same name
    assert (tmp_path / "clean/.versus-build").read_text() == (out / ".versus-build").read_text()


def test_a_build_without_cache_repairs_whatever_else_changed_the_site(basic_site: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    clean = tree_bytes(out)
    (out / "models/alpha-70b/index.html").write_text("edited by hand")
    (out / "compare/alpha-70b-vs-beta-pro/index.html").unlink()
    write_files(out, {"stray.html": "x", "old/page/index.html": "y"})
    (out / "models/gamma-3b/index.html").unlink()
    write_files(out, {"models/gamma-3b/index.html/oops.txt": ""})  # a folder where a page goes
    (out / "empty/folder").mkdir(parents=True)
    os.symlink("/etc/hostname", out / "api/link")
    report = build(basic_site, out, cache=False)
    assert report.in_place and not report.incremental
    assert tree_bytes(out) == clean
    assert not (out / "old").exists() and not (out / "empty").exists()
    assert not (out / "api/link").is_symlink()


def test_a_deleted_output_folder_is_rebuilt_whole(basic_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    first = tree_bytes(out)
    shutil.rmtree(out)
    report = build(basic_site, out)
    assert not report.up_to_date and tree_bytes(out) == first


def test_the_cache_lives_beside_the_output_and_is_ignored_by_git(basic_site: Path) -> None:
    build(basic_site)
    assert (basic_site / ".versus-cache/site/state.json").is_file()
    gitignore = (Path(__file__).parent.parent / ".gitignore").read_text().split()
    assert "/.versus-cache/" in gitignore


# --------------------------------------------------------------------------- the command


def test_cli_says_when_nothing_changed_and_clean_renders_everything(basic_site: Path, runner) -> None:
    args = ["build", "--source", str(basic_site)]
    assert runner.invoke(main, args).exit_code == 0
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and again.output.rstrip().endswith(": nothing changed")
    _edit_yaml(basic_site / "content/models/gamma-3b.yaml", lambda d: d.update(vendor="Other"))
    changed = runner.invoke(main, args)
    assert "pages rendered" in changed.output and "files written, 0 removed" in changed.output
    clean = runner.invoke(main, args + ["--clean", "--jobs", "1"])
    summary = clean.output.rstrip().splitlines()[-1]  # after the content warnings
    assert clean.exit_code == 0 and summary.startswith("Built 17 pages")
    # Every page rendered; none written, as the site already held exactly these bytes.
    assert summary.endswith(": 30 pages rendered, 0 files written, 0 removed")


def test_strict_fails_again_on_an_unchanged_site_with_warnings(basic_site: Path, runner) -> None:
    write_files(basic_site, {"content/articles/alpha-vs-beta.md": (
        SITES / "basic/content/articles/alpha-vs-beta.md").read_text() + "\n[x](/no/such/)\n"})
    args = ["build", "--source", str(basic_site)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0 and "no such page" in first.output
    again = runner.invoke(main, args)  # up to date: the warning is shown again
    assert again.exit_code == 0 and "no such page" in again.output
    assert runner.invoke(main, args + ["--strict"]).exit_code == 1


def test_keys_do_not_depend_on_the_process(basic_site: Path, tmp_path: Path) -> None:
    """Python salts str hashes per process; nothing in a key may depend on it."""
    import subprocess
    import sys

    out = tmp_path / "out"
    script = ("import sys; from pathlib import Path; from generator.build import build; "
              "r = build(Path(sys.argv[1]), Path(sys.argv[2]), workers=1); "
              "print(r.pages_rendered, r.up_to_date)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    run = lambda seed: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script, str(basic_site), str(out)], capture_output=True, text=True,
        env={**env, "PYTHONHASHSEED": seed}, check=True).stdout.split()
    assert run("1") == ["30", "False"]  # every page of a first build
    # Touch one model: only its pages may be rendered by a process with another salt.
    _edit_yaml(basic_site / "content/models/gamma-3b.yaml", lambda d: d.update(summary="New."))
    assert run("2") == ["9", "False"]


def test_a_no_op_build_does_not_load_the_pipeline(basic_site: Path) -> None:
    """An unchanged site is answered from the cache before pydantic or Jinja are imported."""
    import subprocess
    import sys

    script = ("import sys; from generator.cli import main; "
              "main(['build', '--source', sys.argv[1]], standalone_mode=False); "
              "print(sorted(m for m in ('pydantic', 'jinja2', 'generator.build') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    run = lambda: subprocess.run([sys.executable, "-c", script, str(basic_site)],  # noqa: E731
                                 capture_output=True, text=True, env=env, check=True).stdout
    assert run().splitlines()[-1] != "[]"  # the first build loads everything
    second = run().splitlines()
    assert second[-2].endswith(": nothing changed") and second[-1] == "[]"


def test_the_generator_fingerprint_covers_the_whole_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed stylesheet or validator must make the next build run: the fingerprint
    reads every module and theme file of generator/, not only its own folder's."""
    from generator import stamps
    from generator.output import cache

    seen: list[str] = []
    monkeypatch.setattr(stamps, "feed_file",
                        lambda h, path, root: seen.append(path.relative_to(root).as_posix()))
    cache.generator_fingerprint.__wrapped__()  # the cached value may predate the patch
    for name in ("theme/static/style.css", "theme/templates/base.html", "load/validate.py",
                 "cli/site.py", "output/cache.py"):
        assert name in seen, name

"""``versus schema`` and ``versus new``: files that help editors, and that stay in step."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pydantic
import pytest
import yaml
from click.testing import CliRunner, Result
from pydantic import BaseModel

from conftest import tree_bytes, write_files
from generator.cli import main
from generator.tools.editor_schema import dumps, json_schemas, project_benchmarks
from generator.load.schema import BenchmarkScore, Model
from generator.tools.scaffold import family_of, yaml_text
from generator.load.validate import _model_in

ROOT = Path(__file__).parent.parent
SITE = {
    "content/site.yaml": "title: Test\nbase_url: https://example.com/\n",
    "content/benchmarks.yaml": "mmlu:\n  name: MMLU\ngpqa:\n  name: GPQA\n",
    "content/models/llama-4-8b.yaml": "name: Llama 4 8B\nvendor: Meta\nopen_weights: true\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "project", SITE)


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def as_json(data: object) -> object:
    """YAML data as JSON sees it (dates become text, as yaml-language-server reads them)."""
    return json.loads(json.dumps(data, default=str))


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# --------------------------------------------------------------------------- schema


def test_committed_schema_files_are_what_versus_schema_generates() -> None:
    generated = json_schemas(project_benchmarks(ROOT))
    committed = sorted(p.name for p in (ROOT / "schema").iterdir())
    assert committed == sorted(generated)
    for name, document in generated.items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == dumps(document), (
            f"schema/{name} is out of date: run `versus schema`")


def test_every_example_file_is_valid_under_its_schema() -> None:
    models = validator("model.schema.json")
    for path in sorted((ROOT / "content/models").glob("*.yaml")):
        assert not list(models.iter_errors(as_json(yaml.safe_load(path.read_text())))), path
    for name in ("site", "benchmarks"):
        data = yaml.safe_load((ROOT / f"content/{name}.yaml").read_text())
        assert not list(validator(f"{name}.schema.json").iter_errors(as_json(data))), name


@pytest.mark.parametrize("field, value", [
    ("open_weights", "yes"), ("context_window_tokens", "128K"), ("vendr", "Meta"),
    ("license", False), ("parameters_b", -1), ("architecture", "hybrid"),
    ("languages", ["eng"]), ("sources", [{"title": "x", "url": "javascript:alert(1)"}]),
    ("released", "2024-02-30"),
])
def test_the_model_schema_flags_what_the_build_refuses(field: str, value: object) -> None:
    data = {"name": "A", "vendor": "B", "open_weights": True, field: value}
    assert list(validator("model.schema.json").iter_errors(data)), field
    with pytest.raises(pydantic.ValidationError):
        Model.model_validate(data)


def test_the_model_schema_completes_this_projects_benchmark_keys() -> None:
    schema = json.loads((ROOT / "schema/model.schema.json").read_text())
    field = schema["properties"]["benchmarks"]
    registry = yaml.safe_load((ROOT / "content/benchmarks.yaml").read_text())
    assert sorted(field["properties"]) == sorted(registry)
    assert field["properties"]["mmlu"]["description"].startswith("MMLU (5-shot): scores 0..100")
    assert field["additionalProperties"] == {"$ref": "#/$defs/BenchmarkScore"}
    assert schema["properties"]["parameters_b"]["description"] == \
        "Total parameters, in billions (70 for a 70B model)."
    assert "title" not in schema["properties"]["parameters_b"]


def test_versus_schema_writes_three_files_the_same_each_time(site: Path) -> None:
    result = invoke("schema", "--source", str(site))
    assert result.exit_code == 0, result.output
    first = tree_bytes(site / "schema")
    assert sorted(first) == ["benchmarks.schema.json", "model.schema.json", "site.schema.json"]
    assert invoke("schema", "--source", str(site)).exit_code == 0
    assert tree_bytes(site / "schema") == first
    keys = json.loads(first["model.schema.json"])["properties"]["benchmarks"]["properties"]
    assert sorted(keys) == ["gpqa", "mmlu"]


def test_versus_schema_reports_a_broken_registry(site: Path) -> None:
    write_files(site, {"content/benchmarks.yaml": "mmlu: [\n"})
    result = invoke("schema", "--source", str(site))
    assert result.exit_code == 1
    assert "benchmarks.yaml:" in result.output and "YAML syntax error" in result.output


def test_every_content_file_names_a_schema_that_exists() -> None:
    files = [*(ROOT / "content/models").glob("*.yaml"), ROOT / "content/site.yaml",
             ROOT / "content/benchmarks.yaml"]
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match[1]).resolve().is_file(), path


def test_the_editor_settings_map_every_content_file_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text())
    mapping = settings["yaml.schemas"]
    assert {Path(k).name for k in mapping} == {"model.schema.json", "site.schema.json",
                                               "benchmarks.schema.json"}
    for schema_path, pattern in mapping.items():
        assert (ROOT / schema_path).is_file()
        assert list(ROOT.glob(pattern)), pattern


# --------------------------------------------------------------------------- new model


def test_new_model_writes_a_file_that_passes_check(site: Path) -> None:
    result = invoke("new", "model", "Mistral Large 3", "--source", str(site),
                    "--vendor", "Mistral AI", "--closed-weights")
    assert result.exit_code == 0, result.output
    path = site / "content/models/mistral-large-3.yaml"
    assert "Wrote" in result.output and "mistral-large-3.yaml" in result.output
    data = yaml.safe_load(path.read_text())
    assert data == {"name": "Mistral Large 3", "vendor": "Mistral AI", "open_weights": False}
    assert path.read_text().startswith(
        "# yaml-language-server: $schema=../../schema/model.schema.json\n")
    checked = invoke("check", "--source", str(site))
    assert checked.exit_code == 0, checked.output


def test_new_model_refuses_to_overwrite(site: Path) -> None:
    before = tree_bytes(site)
    result = invoke("new", "model", "Llama 4 8B", "--source", str(site), "--vendor", "X",
                    "--open-weights")
    assert result.exit_code == 1
    assert "llama-4-8b.yaml already exists" in result.output
    assert tree_bytes(site) == before


@pytest.mark.parametrize("args, message", [
    (["A vs B"], "a model slug must not contain '-vs-'"),
    (["Fine", "--slug", "Not_A_Slug"], "'Not_A_Slug' cannot be a model file name"),
    (["   "], "the name must not be empty"),
])
def test_new_model_refuses_bad_names(site: Path, args: list[str], message: str) -> None:
    before = tree_bytes(site)
    result = invoke("new", "model", *args, "--source", str(site), "--vendor", "X",
                    "--open-weights")
    assert result.exit_code == 1
    assert message in result.output
    assert tree_bytes(site) == before


def test_new_model_asks_for_vendor_with_a_guess_from_the_same_line(site: Path) -> None:
    result = invoke("new", "model", "Llama 5 70B", "--source", str(site), input="\n\n")
    assert result.exit_code == 0, result.output
    assert "Vendor (who makes it) [Meta]" in result.output
    data = yaml.safe_load((site / "content/models/llama-5-70b.yaml").read_text())
    assert data == {"name": "Llama 5 70B", "vendor": "Meta", "open_weights": True}


def test_new_model_quotes_names_yaml_would_misread(site: Path) -> None:
    for name in ("no", "3.10", "GPT: mini", "#1 model", "2024-01-01"):
        assert yaml.safe_load(f"name: {yaml_text(name)}") == {"name": name}
    result = invoke("new", "model", "No", "--source", str(site), "--vendor", "Yes",
                    "--open-weights", "--slug", "no-model")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((site / "content/models/no-model.yaml").read_text())["vendor"] == "Yes"


def test_family_guess_drops_the_size() -> None:
    assert family_of("Llama 5 8B") == "Llama 5"
    assert family_of("Qwen 3 235B A22B") == "Qwen 3"
    assert family_of("GPT-5 mini") == "GPT-5 mini"


def uncomment(text: str, after: str) -> str:
    """Switch on every commented-out field below the line that starts with ``after``."""
    head, tail = text.split("\n" + after, 1)
    lines = (after + tail).splitlines()
    return head + "\n" + "\n".join(re.sub(r"^# ", "", line) for line in lines) + "\n"


def field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of a content model and of the models nested in it, dotted."""
    paths = set()
    for name, info in model.model_fields.items():
        paths.add(prefix + name)
        nested = _model_in(info.annotation)
        if nested is BenchmarkScore:  # a mapping of benchmark keys to results
            paths.add(prefix + name + ".<key>")
            paths |= field_paths(nested, prefix + name + ".<key>.")
        elif nested is not None:
            paths |= field_paths(nested, prefix + name + ".")
    return paths


def data_paths(data: object, prefix: str = "") -> set[str]:
    paths = set()
    if isinstance(data, dict):
        for key, value in data.items():
            step = "<key>" if prefix.endswith("benchmarks.") else key
            paths.add(prefix + step)
            paths |= data_paths(value, prefix + step + ".")
    elif isinstance(data, list):
        for item in data:
            paths |= data_paths(item, prefix)
    return paths


def test_the_model_template_lists_every_field_and_each_example_is_valid(site: Path) -> None:
    invoke("new", "model", "Full", "--source", str(site), "--vendor", "X", "--open-weights")
    path = site / "content/models/full.yaml"
    path.write_text(uncomment(path.read_text(), "open_weights:"))
    data = yaml.safe_load(path.read_text())
    assert data_paths(data) == field_paths(Model)
    result = invoke("check", "--source", str(site))
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- new article


def test_new_article_writes_a_draft_that_passes_check(site: Path) -> None:
    result = invoke("new", "article", "Llama 4: what's new?", "--source", str(site))
    assert result.exit_code == 0, result.output
    path = site / "content/articles/llama-4-what-s-new.md"
    text = path.read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"title": "Llama 4: what's new?", "date": front["date"], "draft": True}
    assert isinstance(front["date"], dt.date)
    assert invoke("check", "--source", str(site), "--drafts").exit_code == 0
    path.write_text(uncomment(text, "date:").replace("draft: true", "draft: false"))
    checked = invoke("check", "--source", str(site))
    assert checked.exit_code == 0, checked.output
    built = invoke("build", "--source", str(site))
    assert built.exit_code == 0, built.output
    page = (site / "site/articles/llama-4-what-s-new/index.html").read_text()
    assert "this note is not shown" not in page and "The first paragraph." in page


def test_new_article_refuses_to_overwrite(site: Path) -> None:
    assert invoke("new", "article", "Hello", "--source", str(site)).exit_code == 0
    before = tree_bytes(site)
    result = invoke("new", "article", "Hello", "--source", str(site))
    assert result.exit_code == 1 and "hello.md already exists" in result.output
    assert tree_bytes(site) == before


def test_new_needs_a_content_folder(tmp_path: Path) -> None:
    result = invoke("new", "article", "Hello", "--source", str(tmp_path))
    assert result.exit_code == 1
    assert "no content/ folder here" in result.output
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_runs_versus_check_on_content_changes() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "versus-check"
    assert hook["entry"].split() == ["versus", "check"]
    assert "check" in main.commands
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/models/x.yaml")
    assert re.search(hook["files"], "templates/model.html")
    assert not re.search(hook["files"], "README.md")

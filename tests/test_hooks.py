"""The hooks as plain modules: rendered with the default answers, then imported."""

from __future__ import annotations

import importlib.util
import json

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from conftest import ROOT


def render_hook(name, tmp_path, **answers):
    context = generate_context(str(ROOT / "cookiecutter.json"), extra_context=answers)
    context = {"cookiecutter": prompt_for_config(context, no_input=True)}
    env = StrictEnvironment(context=context, **context["cookiecutter"]["_jinja2_env_vars"])
    source = (ROOT / "hooks" / f"{name}.py").read_text()
    path = tmp_path / f"{name}.py"
    path.write_text(env.from_string(source).render(**context))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pre(tmp_path):
    return render_hook("pre_gen_project", tmp_path)


def test_default_answers_pass(pre):
    pre.validate(pre.ANSWERS)


@pytest.mark.parametrize(
    "expression",
    ["rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "rate(1 day)", "cron(0/15 * * * ? *)", ""],
)
def test_valid_schedules(pre, expression):
    pre.check_schedule(expression)


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1"])
def test_valid_regions(pre, region):
    pre.check_region(region)


def test_answers_are_read_as_json_data(tmp_path):
    module = render_hook("pre_gen_project", tmp_path, description='"""\\n\'; x = 1')
    assert module.ANSWERS["description"] == '"""\\n\'; x = 1'
    assert json.dumps(module.ANSWERS)


def test_post_hook_lays_chosen_variants_over_the_kit(tmp_path):
    post = render_hook("post_gen_project", tmp_path)
    kit = tmp_path / "kit"
    (kit / "_variants/color/red+blue/src").mkdir(parents=True)
    (kit / "_variants/color/red+blue/src/paint.py").write_text("red or blue\n")
    (kit / "_variants/color/green").mkdir(parents=True)
    (kit / "_variants/color/green/grass.txt").write_text("green\n")
    (kit / "_variants/flag/true").mkdir(parents=True)
    (kit / "_variants/flag/true/on.txt").write_text("on\n")
    post.apply_variants(kit, {"color": "blue", "flag": True})
    files = sorted(str(p.relative_to(kit)) for p in kit.rglob("*") if p.is_file())
    assert files == ["on.txt", "src/paint.py"]


def test_nested_variants_apply_only_when_both_answers_match(tmp_path):
    post = render_hook("post_gen_project", tmp_path)
    kit = tmp_path / "kit"
    nested = kit / "_variants/flavor/fast/_variants/infra/cdk"
    nested.mkdir(parents=True)
    (nested / "fast-cdk.txt").write_text("both\n")
    (kit / "_variants/flavor/fast/_variants/infra/sam").mkdir(parents=True)
    (kit / "_variants/flavor/fast/_variants/infra/sam/fast-sam.txt").write_text("sam\n")
    (kit / "_variants/infra/cdk").mkdir(parents=True)
    (kit / "_variants/infra/cdk/cdk.txt").write_text("cdk\n")
    post.apply_variants(kit, {"flavor": "fast", "infra": "cdk"})
    files = sorted(str(p.relative_to(kit)) for p in kit.rglob("*") if p.is_file())
    assert files == ["cdk.txt", "fast-cdk.txt"]


def test_two_variants_providing_one_file_is_an_error(tmp_path):
    post = render_hook("post_gen_project", tmp_path)
    kit = tmp_path / "kit"
    for option in ("a", "b"):
        (kit / f"_variants/{option}/yes").mkdir(parents=True)
        (kit / f"_variants/{option}/yes/same.txt").write_text(option)
    with pytest.raises(SystemExit, match="two variants both provide"):
        post.apply_variants(kit, {"a": "yes", "b": "yes"})

"""The hooks as plain modules: rendered with the default answers, then imported."""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import metadata

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


# --- one test per answer rule: each must name its prompt in the one line it prints ---------------


def refuses(pre, answers, prompt):
    with pytest.raises(pre.AnswerError) as refused:
        pre.validate({**pre.ANSWERS, **answers})
    assert str(refused.value).startswith(prompt), refused.value
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "value", ["٣٠", "\uff1060", "²", "060", "0060", "+60", "60.0", "1e2", "-5", "", "9" * 5000]
)
@pytest.mark.parametrize("prompt", ["memory_mb", "timeout_s"])
def test_numbers_are_plain_ascii_digits_without_leading_zeros(pre, prompt, value):
    refuses(pre, {prompt: value}, prompt)


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u3000"])
def test_surrounding_whitespace_is_refused_not_stripped(pre, space):
    """The hook cannot change an answer, so a stripped value would be checked but not baked."""
    refuses(pre, {"timeout_s": f"{space}60"}, "timeout_s")
    refuses(pre, {"memory_mb": f"1024{space}"}, "memory_mb")
    refuses(pre, {"schedule_expression": f"{space}rate(5 minutes)"}, "schedule_expression")
    refuses(pre, {"project_name": f"My Agent{space}"}, "project_name")


@pytest.mark.parametrize(
    "character",
    ["\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\ud800", "\ufffe"],
)
@pytest.mark.parametrize("prompt", ["project_name", "description", "author_name"])
def test_free_text_is_one_line_of_printable_text(pre, prompt, character):
    refuses(pre, {prompt: f"An{character}agent"}, prompt)


@pytest.mark.parametrize("syntax", ["{{ x }}", "{% raw %}", "{# note #}", "100%}", "a}}"])
def test_template_syntax_is_refused(pre, syntax):
    """Typed at a prompt it would be baked verbatim; given on the command line it would be rendered."""
    refuses(pre, {"description": f"An agent {syntax}"}, "description")


@pytest.mark.parametrize(
    "prompt", ["project_name", "description", "author_name", "project_slug", "package_name"]
)
def test_long_text_is_refused(pre, prompt):
    refuses(pre, {prompt: "a" * 257}, prompt)


@pytest.mark.parametrize("start", ["<!-- hidden", "<script>", "```python", "~~~"])
def test_description_does_not_open_a_markdown_block(pre, start):
    refuses(pre, {"description": start}, "description")


def test_awkward_but_printable_text_is_accepted(pre):
    pre.validate(
        {
            **pre.ANSWERS,
            "project_name": 'Zoë\'s "Quoted" \\ Agent """ 🤖',
            "description": "It's <b>bold</b> \u2013 100% {not jinja} \\N",
            "author_name": "O'Brien \u200d 中文",
        }
    )


@pytest.mark.parametrize("value", [None, 1024, ["a"], {"a": 1}, True])
@pytest.mark.parametrize("prompt", ["project_name", "aws_region", "memory_mb", "schedule_expression"])
def test_a_typed_answer_of_another_type_is_one_line(pre, prompt, value):
    refuses(pre, {prompt: value}, prompt)


@pytest.mark.parametrize("value", ["yes", "no", "1", "0", "", None, 1, ["true"]])
@pytest.mark.parametrize("prompt", ["sqs_worker", "lexia_integration"])
def test_booleans_must_be_booleans(pre, prompt, value):
    """A string reaching the hook would read as true in every template ("False" included)."""
    refuses(pre, {prompt: value}, prompt)


@pytest.mark.parametrize("value", ["fargate", None, ["sam"], ""])
def test_choices_outside_the_list_are_refused(pre, value):
    refuses(pre, {"infrastructure": value}, "infrastructure")


def test_a_missing_answer_is_named(pre):
    answers = dict(pre.ANSWERS)
    del answers["timeout_s"]
    with pytest.raises(pre.AnswerError, match=r"^timeout_s is missing"):
        pre.validate(answers)


@pytest.mark.parametrize(
    "slug", ["my--agent", "my-agent-", "-my-agent", "my_agent", "a" * 41, "agént", "my agent"]
)
def test_slug_is_a_name_every_aws_service_takes(pre, slug):
    refuses(pre, {"project_slug": slug}, "project_slug")


def test_an_empty_slug_says_where_it_came_from(pre):
    refuses(pre, {"project_slug": ""}, "project_slug is empty")


@pytest.mark.parametrize("name", ["_agent", "Agent", "agént", "a" * 41, "__main__"])
def test_package_is_a_plain_lowercase_identifier(pre, name):
    refuses(pre, {"package_name": name}, "package_name")


@pytest.mark.parametrize(
    "name", ["conftest", "moto_server", "stream_url", "lambda_standin", "infra", "app", "src"]
)
def test_package_may_not_take_a_kit_module_name(pre, name):
    refuses(pre, {"package_name": name}, f"package_name {name!r} is the name of one of the kit's own")


def test_package_may_not_take_a_test_module_name(pre):
    refuses(pre, {"package_name": "test_agent"}, "package_name 'test_agent'")


@pytest.mark.parametrize("name", ["yaml", "six", "regex", "dateutil", "werkzeug"])
def test_package_may_not_shadow_a_transitive_dependency(pre, name):
    refuses(pre, {"package_name": name}, f"package_name {name!r} would shadow a module the kit depends on")


@pytest.mark.parametrize("email", ['o"b@x.io', "a b@x.io", "é@x.io", "a@b", "a@-b.io", "a..b@x.io", "@x.io"])
def test_email_is_a_plain_address(pre, email):
    refuses(pre, {"author_email": email}, "author_email")


@pytest.mark.parametrize(
    "region",
    ["us-east-01", "us-east-\u0661", "us-middle-1", "us-east-1-", "u-east-1", "us-" + "east" * 30 + "-1"],
)
def test_region_is_refused_unless_aws_shaped(pre, region):
    refuses(pre, {"aws_region": region}, "aws_region")


@pytest.mark.parametrize(
    "expression",
    [
        "rate(05 minutes)",
        "rate(\u0665 minutes)",
        "rate(5  minutes)",
        "rate(9999999 minutes)",
        "cron(0  12 ? * MON-FRI *)",
        "cron(0 12 ? * mon-fri *)",
        "cron(60 12 ? * * *)",
        "cron(0 24 ? * * *)",
        "cron(0 12 32 * ? *)",
        "cron(0 12 ? 13 * *)",
        "cron(0 12 ? * 8 *)",
        "cron(0 12 ? * * 1969)",
        "cron(0 12 ? * ? *)",
        "cron(0 12 * * * *)",
        "cron(0 12 ? * MON#6 *)",
        "cron(*/0 12 ? * * *)",
        "cron(0 12 ? * `x` *)",
        "cron(0 12 ?,1 * * *)",
        'cron(0 12 ? * "MON" *)',
    ],
)
def test_schedules_aws_would_refuse_are_refused(pre, expression):
    refuses(pre, {"schedule_expression": expression}, "schedule_expression")


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 12 ? * MON-FRI *)",
        "cron(0/15 9-17 ? JAN-MAR,DEC MON-FRI 2025-2030)",
        "cron(0 12 L * ? *)",
        "cron(0 12 LW * ? *)",
        "cron(0 12 15W * ? *)",
        "cron(0 12 ? * 6L *)",
        "cron(0 12 ? * 2#1 *)",
        "cron(5,35 */2 1-15 1 ? 2030)",
        "rate(120 minutes)",
    ],
)
def test_more_valid_schedules(pre, expression):
    pre.check_schedule(expression)


def test_main_prints_one_error_line_and_exits_1(pre, capsys):
    pre.ANSWERS["memory_mb"] = "²"
    with pytest.raises(SystemExit) as exited:
        pre.main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: memory_mb must be a whole number from 128 to 10240 in plain digits without leading "
        "zeros; got '²'"
    ]


def test_durable_runs_take_a_framework_only_when_its_calls_are_checkpointed(pre):
    """Frameworks without checkpointed steps are refused in one line naming both prompts."""
    for framework in pre.CHOICES["agent_framework"]:
        answers = {**pre.ANSWERS, "durable_runs": "yes", "agent_framework": framework}
        if framework in pre.DURABLE_FRAMEWORKS:
            pre.validate(answers)
            continue
        with pytest.raises(pre.AnswerError) as refused:
            pre.validate(answers)
        message = str(refused.value)
        assert "\n" not in message
        assert message.startswith(f"durable_runs yes is not offered with agent_framework {framework} yet")
        assert "is not wrapped that way yet" in message
        pre.validate({**answers, "durable_runs": "no"})
    assert {"builtin", "strands", "pydantic-ai"} <= set(pre.DURABLE_FRAMEWORKS)


def test_a_huge_answer_is_quoted_short(pre):
    with pytest.raises(pre.AnswerError) as refused:
        pre.validate({**pre.ANSWERS, "memory_mb": "9" * 100_000})
    assert len(str(refused.value)) < 200


# --- the hook's name lists, derived afresh from the payload and the kit's dependencies -------------

PAYLOAD = ROOT / "{{cookiecutter.project_slug}}"


def variant_roots():
    """The payload root and every `_variants/<option>/<values>/` folder, nested ones included."""
    yield PAYLOAD
    yield from (
        path for path in PAYLOAD.rglob("*") if path.is_dir() and path.parent.parent.name == "_variants"
    )


def importable(path):
    if path.is_dir():
        return path.name
    return path.stem if path.suffix == ".py" else None


def test_every_kit_module_and_folder_is_refused_as_a_package_name(pre):
    """Root folders and modules, and the modules of tests/ and scripts/, share the package's import path."""
    names = set()
    for root in variant_roots():
        entries = [path for path in root.iterdir() if path.name not in {"_variants", "__pycache__"}]
        for folder in ("tests", "scripts"):
            if (root / folder).is_dir():
                entries += list((root / folder).iterdir())
        names |= {importable(path) for path in entries}
    names = {name for name in names if name and pre.PACKAGE.fullmatch(name) and not name.startswith("test_")}
    assert {"conftest", "moto_server", "lambda_standin", "infra", "events"} <= names, "the walk finds the kit"
    missing = sorted(names - pre.KIT_MODULES - pre.DEPENDENCY_MODULES - sys.stdlib_module_names)
    assert missing == [], f"add to KIT_MODULES in hooks/pre_gen_project.py: {missing}"


# Agent frameworks stay out of the template's environment (tests/test_dev_env.py): their modules are
# listed in DEPENDENCY_MODULES from their kits' own environments.
FRAMEWORKS = {"pydantic-ai-slim"}


def kit_requirements():
    for path in PAYLOAD.rglob("requirements*.txt"):
        for line in path.read_text().splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith(("#", "{", "-")) and Requirement(line).name not in FRAMEWORKS:
                yield Requirement(line)


# The agent frameworks stay out of the template's environment (each framework kit installs its own),
# so their closure is walked only where they are installed, e.g. a framework kit's environment.
FRAMEWORK_DISTRIBUTIONS = {
    "strands-agents": "strands",
    "openai-agents": "agents",
    "langchain": "langchain",
    "langchain-core": "langchain_core",
    "langgraph": "langgraph",
    "langchain-openai": "langchain_openai",
    "langchain-aws": "langchain_aws",
}


def installed(key: str) -> bool:
    try:
        metadata.distribution(key)
    except metadata.PackageNotFoundError:
        if key not in FRAMEWORK_DISTRIBUTIONS:
            raise
        return False
    return True


def test_every_module_the_kit_installs_is_refused_as_a_package_name(pre):
    """The closure of the kit's requirements, as installed in the template's environment."""
    assert set(FRAMEWORK_DISTRIBUTIONS.values()) <= pre.DEPENDENCY_MODULES
    seen, pending = {}, list(kit_requirements())
    while pending:
        requirement = pending.pop()
        key = canonicalize_name(requirement.name)
        if (key in seen and set(requirement.extras) <= seen[key]) or not installed(key):
            continue
        extras = seen.setdefault(key, set())
        extras.update(requirement.extras)
        for text in metadata.distribution(key).requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras | {""}
            ):
                pending.append(needed)
    modules = set()
    for key in seen:
        for file in metadata.distribution(key).files or []:
            top = file.parts[0].removesuffix(".py")
            if len(file.parts) > 1 or file.parts[0].endswith(".py"):
                modules.add(top)
    assert {"boto3", "botocore", "yaml", "starlette"} <= modules, "the walk finds the kit's dependencies"
    candidates = {name for name in modules if pre.PACKAGE.fullmatch(name)} - sys.stdlib_module_names
    missing = sorted(candidates - pre.DEPENDENCY_MODULES)
    assert missing == [], f"add to DEPENDENCY_MODULES in hooks/pre_gen_project.py: {missing}"

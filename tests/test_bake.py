"""Bake every named combination and hold each kit to what its own CI holds it to."""

from __future__ import annotations

import re

import pytest

from conftest import (
    DEFAULTS,
    SHARED_VENV,
    bake,
    default,
    fresh_check,
    holds_template_syntax,
    parse_data_file,
    run_in,
)

CASES = [
    pytest.param({}, id="default"),
    pytest.param(
        {
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(5 minutes)",
            "timeout_s": "900",
        },
        id="mangum-sam-public-secret-schedule",
    ),
    pytest.param(
        {
            "api_key_source": "ssm",
            "sqs_worker": False,
            "architecture": "x86_64",
            "python_version": "3.13",
            "schedule_expression": "cron(0 12 ? * MON-FRI *)",
            "memory_mb": "128",
        },
        id="mangum-sam-ssm-no-queue-x86-cron",
    ),
    pytest.param({"runtime_flavor": "al2023-streaming"}, id="al2023-sam"),
    pytest.param(
        {
            "runtime_flavor": "al2023-streaming",
            "llm_provider": "openai",
            "lexia_integration": True,
            "function_url_auth": "NONE",
            "api_key_source": "ssm",
            "sqs_worker": False,
            "schedule_expression": "cron(0 12 ? * MON-FRI *)",
            "python_version": "3.13",
            "architecture": "x86_64",
        },
        id="al2023-sam-public-ssm-no-queue-cron-openai-lexia",
    ),
    pytest.param({"llm_provider": "openai", "lexia_integration": True}, id="mangum-sam-openai-lexia"),
    pytest.param({"llm_provider": "bedrock", "sqs_worker": False}, id="mangum-sam-bedrock-no-queue"),
    pytest.param({"runtime_flavor": "web-adapter-ndjson"}, id="web-adapter-sam"),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "function_url_auth": "NONE",
            "api_key_source": "ssm",
            "sqs_worker": False,
            "schedule_expression": "rate(1 hour)",
            "architecture": "x86_64",
            "python_version": "3.13",
        },
        id="web-adapter-sam-public-ssm-schedule-no-queue",
    ),
    pytest.param(
        {"runtime_flavor": "web-adapter-ndjson", "api_key_source": "secretsmanager", "sqs_worker": False},
        id="web-adapter-sam-secret-no-worker",
    ),
    pytest.param(
        {"runtime_flavor": "web-adapter-ndjson", "llm_provider": "openai", "lexia_integration": True},
        id="web-adapter-sam-openai-lexia",
    ),
    pytest.param({"infrastructure": "cdk"}, id="mangum-cdk"),
    pytest.param(
        {
            "infrastructure": "cdk",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(5 minutes)",
            "timeout_s": "900",
        },
        id="mangum-cdk-public-secret-schedule",
    ),
    pytest.param(
        {
            "infrastructure": "cdk",
            "api_key_source": "ssm",
            "sqs_worker": False,
            "architecture": "x86_64",
            "python_version": "3.13",
            "schedule_expression": "cron(0 12 ? * MON-FRI *)",
            "memory_mb": "128",
        },
        id="mangum-cdk-ssm-no-queue-x86-cron",
    ),
    pytest.param({"runtime_flavor": "al2023-streaming", "infrastructure": "cdk"}, id="al2023-cdk"),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "llm_provider": "bedrock",
            "schedule_expression": "rate(5 minutes)",
        },
        id="web-adapter-cdk-bedrock-queue-schedule",
    ),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "llm_provider": "openai",
            "lexia_integration": True,
            "api_key_source": "secretsmanager",
            "sqs_worker": False,
        },
        id="web-adapter-cdk-openai-lexia-secret-no-worker",
    ),
    pytest.param({"infrastructure": "ship-cli"}, id="mangum-ship"),
    pytest.param(
        {
            "infrastructure": "ship-cli",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(5 minutes)",
            "timeout_s": "900",
            "llm_provider": "openai",
            "lexia_integration": True,
        },
        id="mangum-ship-public-secret-schedule-openai-lexia",
    ),
    pytest.param(
        {
            "infrastructure": "ship-cli",
            "function_url_auth": "NONE",
            "api_key_source": "ssm",
            "sqs_worker": False,
            "architecture": "x86_64",
            "schedule_expression": "cron(0 12 ? * MON-FRI *)",
        },
        id="mangum-ship-public-ssm-no-queue-x86-cron",
    ),
    pytest.param(
        {"runtime_flavor": "al2023-streaming", "infrastructure": "ship-cli", "llm_provider": "bedrock"},
        id="al2023-ship-bedrock",
    ),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "ship-cli",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(1 hour)",
        },
        id="web-adapter-ship-public-secret-schedule",
    ),
    pytest.param({"runtime_flavor": "al2023-streaming", "api_gateway": "rest"}, id="al2023-sam-rest"),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "api_gateway": "rest",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
        },
        id="web-adapter-cdk-rest-public-secret",
    ),
    pytest.param(
        {
            "infrastructure": "ship-cli",
            "api_gateway": "rest",
            "function_url_auth": "NONE",
            "api_key_source": "ssm",
            "sqs_worker": False,
        },
        id="mangum-ship-rest-public-ssm-no-queue",
    ),
    pytest.param(
        {"runtime_flavor": "al2023-streaming", "infrastructure": "ship-cli", "api_gateway": "rest"},
        id="al2023-ship-rest",
    ),
    pytest.param({"runtime_flavor": "al2023-streaming", "durable_runs": "yes"}, id="al2023-sam-durable-runs"),
    pytest.param(
        {"infrastructure": "cdk", "durable_runs": "yes", "llm_provider": "bedrock"},
        id="mangum-cdk-bedrock-durable-runs",
    ),
    pytest.param(
        {
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "durable_runs": "yes",
            "sqs_worker": False,
        },
        id="web-adapter-cdk-durable-runs-no-queue",
    ),
    pytest.param({"agent_framework": "strands"}, id="strands-mangum-sam"),
    pytest.param(
        {
            "agent_framework": "strands",
            "runtime_flavor": "web-adapter-ndjson",
            "llm_provider": "openai",
            "lexia_integration": True,
        },
        id="strands-web-adapter-sam-openai-lexia",
    ),
    pytest.param(
        {
            "agent_framework": "strands",
            "runtime_flavor": "al2023-streaming",
            "infrastructure": "cdk",
            "llm_provider": "bedrock",
            "api_gateway": "rest",
        },
        id="strands-al2023-cdk-bedrock-rest",
    ),
    pytest.param(
        {"agent_framework": "strands", "runtime_flavor": "al2023-streaming", "infrastructure": "ship-cli"},
        id="strands-al2023-ship",
    ),
    pytest.param(
        {"agent_framework": "strands", "runtime_flavor": "web-adapter-ndjson", "infrastructure": "cdk"},
        id="strands-web-adapter-cdk",
    ),
    pytest.param(
        {"runtime_flavor": "web-adapter-ndjson", "infrastructure": "ship-cli", "durable_runs": "yes"},
        id="web-adapter-ship-durable-runs",
    ),
    pytest.param({"agent_framework": "pydantic-ai"}, id="mangum-sam-pydantic-ai"),
    pytest.param(
        {
            "agent_framework": "pydantic-ai",
            "runtime_flavor": "al2023-streaming",
            "infrastructure": "cdk",
            "llm_provider": "openai",
            "lexia_integration": True,
        },
        id="al2023-cdk-pydantic-ai-openai-lexia",
    ),
    pytest.param(
        {
            "agent_framework": "pydantic-ai",
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "ship-cli",
            "llm_provider": "bedrock",
            "api_gateway": "rest",
        },
        id="web-adapter-ship-pydantic-ai-bedrock-rest",
    ),
    pytest.param({"agent_framework": "langgraph"}, id="mangum-sam-langgraph"),
    pytest.param(
        {
            "agent_framework": "langgraph",
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "llm_provider": "openai",
            "lexia_integration": True,
        },
        id="web-adapter-cdk-langgraph-openai-lexia",
    ),
    pytest.param(
        {
            "agent_framework": "langgraph",
            "runtime_flavor": "al2023-streaming",
            "llm_provider": "bedrock",
            "api_gateway": "rest",
        },
        id="al2023-sam-langgraph-bedrock-rest",
    ),
    pytest.param({"agent_framework": "openai-agents"}, id="openai-agents-mangum-sam"),
    pytest.param(
        {
            "agent_framework": "openai-agents",
            "runtime_flavor": "al2023-streaming",
            "infrastructure": "cdk",
            "llm_provider": "openai",
            "lexia_integration": True,
        },
        id="openai-agents-al2023-cdk-openai-lexia",
    ),
    pytest.param(
        {
            "agent_framework": "openai-agents",
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "ship-cli",
            "llm_provider": "bedrock",
            "api_gateway": "rest",
        },
        id="openai-agents-web-adapter-ship-bedrock-rest",
    ),
]


# The cases whose own `make check` runs in a fresh environment: ten kits, as many as the suite's
# 15 minutes on 2 cores allow (a framework kit's check takes about two minutes of CPU). Strands
# and Pydantic AI sit on three kits each that meet every runtime flavor and every infrastructure
# (two Latin squares of the nine pairs); the default kit, a builtin kit with durable runs, one
# OpenAI Agents kit and one LangGraph kit hold the other three pairs. Every flavor meets every
# model provider; Lexia, the REST API and durable runs each meet every flavor and every
# infrastructure, and durable runs each framework that has them. OpenAI Agents and LangGraph in
# the other flavors are checked by the AI SDK test (an environment from the kit's own files) and
# by their kits' tests run by hand. test_checked_cases_cover_every_option keeps it so; every case
# above is baked, parsed and linted.
CHECKED_CASES = [
    pytest.param({}, id="default"),
    pytest.param(
        {
            "agent_framework": "pydantic-ai",
            "infrastructure": "cdk",
            "llm_provider": "bedrock",
            "durable_runs": "yes",
            "api_gateway": "rest",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(5 minutes)",
        },
        id="checked-pydantic-ai-mangum-cdk-bedrock-durable-rest-public-secret-schedule",
    ),
    pytest.param(
        {
            "infrastructure": "ship-cli",
            "llm_provider": "openai",
            "lexia_integration": True,
            "durable_runs": "yes",
            "api_key_source": "ssm",
            "sqs_worker": False,
            "architecture": "x86_64",
        },
        id="checked-mangum-ship-openai-lexia-durable-ssm-no-queue-x86",
    ),
    pytest.param(
        {
            "agent_framework": "pydantic-ai",
            "runtime_flavor": "al2023-streaming",
            "llm_provider": "openai",
            "api_gateway": "rest",
            "project_name": 'Zoë\'s "Quoted" \\ Agent 🤖 \u2013 Ünïcode',
            "description": 'It\'s a "quoted" \\ backslash, 🤖 emoji and <b>tags</b> \u2014 ünïcödé',
            "author_name": 'O\'Brien "Bob" \\ Jr 🤖',
            "author_email": "o.brien+agent@example.co.uk",
            "memory_mb": "10240",
            "timeout_s": "900",
            "schedule_expression": "cron(0/15 9-17 ? JAN-MAR,DEC MON-FRI 2025-2030)",
        },
        id="checked-pydantic-ai-al2023-sam-openai-rest-tricky-answers",
    ),
    pytest.param(
        {
            "agent_framework": "strands",
            "runtime_flavor": "al2023-streaming",
            "infrastructure": "ship-cli",
            "lexia_integration": True,
            "durable_runs": "yes",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
        },
        id="checked-strands-al2023-ship-echo-lexia-durable-public-secret",
    ),
    pytest.param(
        {
            "agent_framework": "strands",
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "cdk",
            "llm_provider": "openai",
            "lexia_integration": True,
            "api_key_source": "secretsmanager",
        },
        id="checked-strands-web-adapter-cdk-openai-lexia-secret",
    ),
    pytest.param(
        {"agent_framework": "strands", "durable_runs": "yes"}, id="checked-strands-mangum-sam-echo-durable"
    ),
    pytest.param(
        {
            "agent_framework": "pydantic-ai",
            "runtime_flavor": "web-adapter-ndjson",
            "infrastructure": "ship-cli",
            "durable_runs": "yes",
            "api_gateway": "rest",
            "function_url_auth": "NONE",
            "api_key_source": "secretsmanager",
            "schedule_expression": "rate(5 minutes)",
            "architecture": "x86_64",
        },
        id="checked-pydantic-ai-web-adapter-ship-durable-rest-public-secret-schedule-x86",
    ),
    pytest.param(
        {
            "agent_framework": "langgraph",
            "runtime_flavor": "web-adapter-ndjson",
            "llm_provider": "bedrock",
            "lexia_integration": True,
            "sqs_worker": False,
            "schedule_expression": "rate(1 hour)",
            "function_url_auth": "NONE",
            "api_key_source": "ssm",
        },
        id="checked-langgraph-web-adapter-sam-bedrock-lexia-public-ssm-schedule-no-queue",
    ),
    pytest.param(
        {
            "agent_framework": "openai-agents",
            "runtime_flavor": "al2023-streaming",
            "infrastructure": "cdk",
            "llm_provider": "bedrock",
            "lexia_integration": True,
        },
        id="checked-openai-agents-al2023-cdk-bedrock-lexia",
    ),
]
CASES += CHECKED_CASES[1:]


@pytest.fixture(scope="module", params=CASES)
def kit(request, cookies_session):
    return bake(cookies_session, **request.param), request.param


def test_answers_are_recorded_for_regeneration(kit):
    path, answers = kit
    recorded = parse_data_file(path / ".cookiecutter.json")
    assert recorded["runtime_flavor"] == answers.get("runtime_flavor", default("runtime_flavor"))
    assert [key for key in recorded if key.startswith("_")] == ["_template_version"]


def test_no_template_syntax_survives(kit):
    path, _ = kit
    for file in path.rglob("*"):
        if file.is_file():
            assert not holds_template_syntax(file), f"{file.relative_to(path)} holds template syntax"


# The top of the runtime package is the author's room plus one folder of machinery: a newcomer
# sees which files are theirs at a glance.
PACKAGE_TOP_LIMIT = 8


def test_the_package_top_is_the_authors_room_and_one_machinery_package(kit):
    path, _ = kit
    package = path / "src" / parse_data_file(path / ".cookiecutter.json")["package_name"]
    top = sorted(entry.name for entry in package.iterdir() if entry.name != "__pycache__")
    assert len(top) <= PACKAGE_TOP_LIMIT, top
    assert [name for name in top if (package / name).is_dir()] == ["kit"], top
    assert {"agent.py", "tools.py", "jobs.py", "__init__.py"} <= set(top), top


def test_no_variant_folders_survive(kit):
    path, _ = kit
    assert not (path / "_variants").exists()


def test_every_data_file_parses(kit):
    path, _ = kit
    data_files = [p for p in path.rglob("*") if p.suffix in {".toml", ".yaml", ".yml", ".json"}]
    assert data_files
    for file in data_files:
        parse_data_file(file)


def test_ruff_reports_nothing(kit):
    path, _ = kit
    ruff = str(SHARED_VENV / "bin" / "ruff")
    for command in ([ruff, "check", "."], [ruff, "format", "--check", "."]):
        run = run_in(path, *command)
        assert run.returncode == 0, run.stdout + run.stderr


def answered(answers: dict, name: str):
    return answers.get(name, default(name))


# The frameworks whose checked kits meet every flavor and every infrastructure; the others have one.
FULLY_CHECKED = ("strands", "pydantic-ai")


def seen_frameworks(seen: set) -> list[tuple]:
    return [item for item in seen if item[0] == "framework"]


def test_checked_cases_cover_every_option():
    seen = set()
    for case in CHECKED_CASES:
        [answers] = case.values
        flavor, infra = answered(answers, "runtime_flavor"), answered(answers, "infrastructure")
        seen |= {("infra", flavor, infra), ("provider", flavor, answered(answers, "llm_provider"))}
        for option, value in (("lexia_integration", True), ("api_gateway", "rest"), ("durable_runs", "yes")):
            if answered(answers, option) == value:
                seen |= {(option, flavor), (option, infra)}
        framework = answered(answers, "agent_framework")
        seen |= {("framework", framework, flavor), ("framework", framework, infra)}
        if answered(answers, "durable_runs") == "yes":
            seen.add(("durable runs of", framework))
    flavors, infras = DEFAULTS["runtime_flavor"], DEFAULTS["infrastructure"]
    wanted = {("infra", f, i) for f in flavors for i in infras}
    wanted |= {("provider", f, p) for f in flavors for p in DEFAULTS["llm_provider"]}
    wanted |= {("lexia_integration", f) for f in flavors}
    wanted |= {(option, x) for option in ("api_gateway", "durable_runs") for x in (*flavors, *infras)}
    wanted |= {("framework", name, x) for name in FULLY_CHECKED for x in (*flavors, *infras)}
    others = [name for name in DEFAULTS["agent_framework"] if name not in ("builtin", *FULLY_CHECKED)]
    assert all(any(f == name for _, f, _ in seen_frameworks(seen)) for name in others), others
    wanted |= {("durable runs of", name) for name in ("builtin", "strands", "pydantic-ai")}
    assert wanted <= seen, f"no checked case covers {sorted(wanted - seen)}"
    ids = {case.id for case in CHECKED_CASES}
    infrastructures = {
        case.values[0].get("infrastructure", "sam") for case in CHECKED_CASES if case.id in PRE_COMMIT_CASES
    }
    assert ids >= PRE_COMMIT_CASES and infrastructures == {"sam", "cdk", "ship-cli"}


@pytest.fixture(scope="module", params=CHECKED_CASES)
def checked_kit(request, cookies_session):
    return bake(cookies_session, **request.param), request.param


# The kit's pre-commit hooks differ only by infrastructure (cfn-lint of the SAM template or of the
# synthesized CDK stack): one checked kit of each runs them.
PRE_COMMIT_CASES = {
    "default",
    "checked-pydantic-ai-mangum-cdk-bedrock-durable-rest-public-secret-schedule",
    "checked-mangum-ship-openai-lexia-durable-ssm-no-queue-x86",
}


@pytest.mark.slow
def test_make_check_and_pre_commit_pass_in_a_fresh_environment(checked_kit, request):
    path, _ = checked_kit
    run = fresh_check(path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert (path / ".venv" / "bin" / "python").exists(), "make check built the kit's own environment"
    if request.node.callspec.id not in PRE_COMMIT_CASES:
        return
    # The kit's pre-commit hooks, as an author who ran `pre-commit install` meets them.
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        [".venv/bin/pre-commit", "run", "--all-files"],
    ):
        run = run_in(path, *command)
        assert run.returncode == 0, f"{' '.join(command)}: {run.stdout[-4000:]}{run.stderr[-2000:]}"


REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+")


def test_every_requirements_line_holds_one_requirement(kit):
    """A pin fused onto another line, or hidden in a comment, is never installed."""
    path, _ = kit
    for file in sorted(path.glob("requirements*.txt")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            where = f"{file.name}:{number}: {line!r}"
            requirement, _, comment = line.partition("#")
            assert "==" not in comment, f"{where} holds a pin inside a comment"
            if requirement.strip():
                assert REQUIREMENT.fullmatch(requirement.strip()), f"{where} is not one pinned requirement"

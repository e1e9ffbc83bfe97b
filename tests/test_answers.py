"""The pre-generation hook: one case per rule, and awkward answers that must still bake."""

from __future__ import annotations

import logging
import tomllib

import pytest
from cookiecutter.exceptions import FailedHookException

from conftest import bake, parse_data_file

REJECTED = [
    pytest.param({"project_slug": "My Agent"}, id="slug-with-space"),
    pytest.param({"project_slug": "9lives"}, id="slug-starts-with-digit"),
    pytest.param({"package_name": "my-agent"}, id="package-not-identifier"),
    pytest.param({"package_name": "class"}, id="package-keyword"),
    pytest.param({"package_name": "match"}, id="package-soft-keyword"),
    pytest.param({"package_name": "json"}, id="package-shadows-stdlib"),
    pytest.param({"package_name": "fastapi"}, id="package-shadows-dependency"),
    pytest.param({"aws_region": "mars-north-1"}, id="region-not-aws-form"),
    pytest.param({"aws_region": "US-EAST-1"}, id="region-uppercase"),
    pytest.param({"memory_mb": "64"}, id="memory-too-small"),
    pytest.param({"memory_mb": "10241"}, id="memory-too-large"),
    pytest.param({"memory_mb": "lots"}, id="memory-not-a-number"),
    pytest.param({"timeout_s": "0"}, id="timeout-too-small"),
    pytest.param({"timeout_s": "901"}, id="timeout-too-large"),
    pytest.param({"schedule_expression": "every 5 minutes"}, id="schedule-not-rate-or-cron"),
    pytest.param({"schedule_expression": "rate(1 minutes)"}, id="schedule-rate-plural-for-one"),
    pytest.param({"schedule_expression": "rate(0 minutes)"}, id="schedule-rate-zero"),
    pytest.param({"schedule_expression": "cron(0 12 * * ?)"}, id="schedule-cron-five-fields"),
    pytest.param({"schedule_expression": "cron(0 12 * * * *)"}, id="schedule-cron-no-question-mark"),
    pytest.param({"author_email": "not-an-email"}, id="email"),
    pytest.param({"project_name": "   ", "project_slug": "blank-name"}, id="blank-project-name"),
    pytest.param({"function_url_auth": "NONE", "api_key_source": "none"}, id="public-url-without-key"),
    pytest.param({"infrastructure": "cdk", "package_name": "infra"}, id="package-shadows-cdk-app-module"),
    pytest.param({"memory_mb": "\u0663\u0660\u0660"}, id="memory-arabic-indic-digits"),
    pytest.param({"timeout_s": "\uff1060"}, id="timeout-full-width-digits"),
    pytest.param({"timeout_s": "060"}, id="timeout-leading-zero"),
    pytest.param({"timeout_s": " 60"}, id="timeout-surrounding-space"),
    pytest.param({"memory_mb": "\u00b2"}, id="memory-superscript-digit"),
    pytest.param({"schedule_expression": " rate(5 minutes)"}, id="schedule-surrounding-space"),
    pytest.param({"schedule_expression": "cron(0  12 ? * MON-FRI *)"}, id="schedule-cron-double-space"),
    pytest.param({"schedule_expression": "cron(0 24 ? * MON-FRI *)"}, id="schedule-cron-hour-out-of-range"),
    pytest.param({"project_name": "My\nAgent"}, id="name-two-lines"),
    pytest.param({"description": "<!-- hides the README"}, id="description-opens-html-block"),
    pytest.param({"author_name": "Bob\x1b[31m"}, id="author-control-character"),
    pytest.param({"author_email": 'o"b@example.com'}, id="email-with-quote"),
    pytest.param({"project_slug": "my--agent"}, id="slug-double-hyphen"),
    pytest.param({"package_name": "moto_server"}, id="package-shadows-test-helper"),
    pytest.param({"package_name": "lambda_standin"}, id="package-shadows-script"),
    pytest.param({"package_name": "yaml"}, id="package-shadows-transitive-dependency"),
    pytest.param({"project_slug": None}, id="slug-null"),
    pytest.param({"sqs_worker": None}, id="boolean-null"),
    pytest.param({"lexia_integration": 1}, id="boolean-number"),
]


@pytest.fixture(autouse=True)
def quiet_cookiecutter():
    """Cookiecutter logs a traceback of its own on every hook failure; only the hook's lines are judged."""
    logger, quiet = logging.getLogger("cookiecutter"), logging.NullHandler()
    logger.addHandler(quiet)
    logger.propagate = False
    yield
    logger.propagate = True
    logger.removeHandler(quiet)


@pytest.mark.parametrize("answers", REJECTED)
def test_bad_answer_fails_the_hook_and_leaves_nothing(cookies, answers, capfd, tmp_path):
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == -1
    assert isinstance(result.exception, FailedHookException)
    assert result.project_path is None
    [bake_dir] = (tmp_path / "cookies").iterdir()
    assert list(bake_dir.iterdir()) == [], "no half-made kit is left behind"
    lines = capfd.readouterr().err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, "exactly one clear line"
    assert lines == errors, "the hook prints nothing else (no traceback)"
    assert errors[0].split(" ")[1].rstrip(":") in answers, "the line names the prompt"


AWKWARD = {
    "project_name": 'Zoë\'s "Quoted" Agent',
    "description": 'It\'s a "quoted" \\ backslash — ünïcödé {not jinja}',
    "author_name": 'O\'Brien "Bob" \\ Jr',
}


def test_awkward_answers_bake_and_their_files_parse(cookies):
    path = bake(cookies, **AWKWARD)
    assert path.name == "zoe-s-quoted-agent" or path.name.startswith("zoe")
    project = tomllib.loads((path / "pyproject.toml").read_text())["project"]
    assert project["description"] == AWKWARD["description"]
    assert project["authors"][0]["name"] == AWKWARD["author_name"]
    template = parse_data_file(path / "template.yaml")
    assert template["Description"] == AWKWARD["description"]
    assert parse_data_file(path / ".cookiecutter.json")["description"] == AWKWARD["description"]


def test_hostile_answer_is_data_not_code(cookies, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f'""") ; import pathlib; pathlib.Path("{marker}").touch(); ("""'
    path = bake(cookies, description=hostile)
    assert not marker.exists()
    assert tomllib.loads((path / "pyproject.toml").read_text())["project"]["description"] == hostile


def test_hostile_answer_over_several_lines_is_refused_as_data(cookies, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f'""")\nimport pathlib; pathlib.Path("{marker}").touch()\n("""'
    result = cookies.bake(extra_context={"description": hostile})
    assert isinstance(result.exception, FailedHookException)
    assert not marker.exists()

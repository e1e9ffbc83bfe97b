"""The pre-generation hook: one case per rule, and awkward answers that must still bake."""

from __future__ import annotations

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
]


@pytest.mark.parametrize("answers", REJECTED)
def test_bad_answer_fails_the_hook_and_leaves_nothing(cookies, answers, capfd, tmp_path):
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == -1
    assert isinstance(result.exception, FailedHookException)
    assert result.project_path is None
    [bake_dir] = (tmp_path / "cookies").iterdir()
    assert list(bake_dir.iterdir()) == [], "no half-made kit is left behind"
    errors = [line for line in capfd.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, "exactly one clear line"


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
    hostile = f'""")\nimport pathlib; pathlib.Path("{marker}").touch()\n("""'
    path = bake(cookies, description=hostile, author_name=hostile)
    assert not marker.exists()
    assert tomllib.loads((path / "pyproject.toml").read_text())["project"]["description"] == hostile

"""Every log line written while an invocation is handled carries its Lambda request id."""

import json

import pytest
from entry_point import invoke

from {{ cookiecutter.package_name }}.kit import logs

from conftest import http_event, load_event
from lambda_context import LambdaContext


@pytest.fixture
def lines(environment, capfd):
    environment.setitem(logs._config, "level", logs.LEVELS["DEBUG"])
    environment.setitem(logs._config, "stream", "stdout")
    logs.begin_invocation(None)
    capfd.readouterr()
    yield lambda: [json.loads(line) for line in capfd.readouterr().out.splitlines() if line.startswith("{")]
    logs.begin_invocation(None)


@pytest.mark.parametrize(
    "event",
    [
        http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}}),
        load_event("schedule.json"),
    ],
    ids=["http", "schedule"],
)
def test_the_lines_of_an_invocation_carry_its_request_id(lines, event):
    invoke(event, LambdaContext(aws_request_id="req-0001"))
    written = lines()
    assert written, "the invocation wrote no line"
    assert {line.get("request_id") for line in written} == {"req-0001"}
    invoke(event, LambdaContext(aws_request_id="req-0002"))
    assert {line.get("request_id") for line in lines()} == {"req-0002"}


def test_a_line_outside_any_invocation_has_no_request_id(lines):
    logs.get_logger("test").warning("between invocations")
    [line] = lines()
    assert "request_id" not in line

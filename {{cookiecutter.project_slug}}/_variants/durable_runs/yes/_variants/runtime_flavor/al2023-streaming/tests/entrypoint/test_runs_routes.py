"""/v1/runs through the real entry point, with a Function URL event."""

import json

import pytest
from runs_flow import (
    BAD_SETTING,
    bad_requests_get_one_line_errors,
    fresh_runs,
    send_message_starts_one_run_per_response_uuid,
    send_message_to_runs,
    start_approve_and_read,
)

from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead
from {{ cookiecutter.package_name }}.kit.settings import ConfigError

from conftest import http_event
from lambda_context import LambdaContext

__all__ = ["fresh_runs"]


def call(method: str, path: str, body: dict | None, headers: dict | None) -> tuple[int, dict]:
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    head, parts = None, []
    for item in handler(http_event(path, body, method, lowered), LambdaContext()):
        if isinstance(item, HttpHead):
            head = item
        else:
            parts.append(item)
    return head.status_code, json.loads(b"".join(parts))


def test_start_a_run_approve_its_tool_and_read_the_result(fresh_runs):
    start_approve_and_read(call)


def test_bad_requests_get_one_line_errors(fresh_runs):
    bad_requests_get_one_line_errors(call)


def test_a_run_path_with_a_wrong_method_is_405():
    assert call("DELETE", "/v1/runs/abc", None, None)[0] == 405


def test_send_message_starts_one_run_per_response_uuid_when_set(fresh_runs, environment):
    send_message_to_runs(environment)
    send_message_starts_one_run_per_response_uuid(call)


def test_a_bad_send_message_to_runs_fails_every_route_with_one_line(fresh_runs, environment):
    send_message_to_runs(environment, "maybe")
    with pytest.raises(ConfigError) as raised:
        call("GET", "/health", None, None)
    assert str(raised.value) == BAD_SETTING

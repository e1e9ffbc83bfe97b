"""Event fields a Function URL fills from the client's bytes: odd ones are a 4xx, never a failure."""

import json

from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead

from conftest import http_event
from lambda_context import LambdaContext


def call(event) -> tuple[int, dict]:
    head, *parts = handler(event, LambdaContext())
    assert isinstance(head, HttpHead)
    return head.status_code, json.loads(b"".join(parts))


def test_a_lone_surrogate_in_the_body_string_is_a_400():
    event = http_event("/invoke", '{"tool": "echo", "arguments": {"message": "\ud800"}}')
    status, reply = call(event)
    assert (status, reply["error"]["code"]) == (400, 400)
    assert "not UTF-8" in reply["error"]["message"]


def test_a_lone_surrogate_in_the_api_key_is_a_wrong_key(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "right-key")
    body = {"tool": "echo", "arguments": {"message": "m"}}
    event = http_event("/invoke", body, headers={"x-api-key": "\udc80"})
    status, reply = call(event)
    assert (status, reply["error"]["message"]) == (401, "invalid API key")

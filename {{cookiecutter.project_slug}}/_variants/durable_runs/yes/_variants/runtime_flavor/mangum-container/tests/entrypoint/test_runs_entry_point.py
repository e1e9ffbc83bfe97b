"""Runs through the Lambda entry point (Mangum), with Function URL events."""

import json

import pytest
from runs_flow import (
    BAD_SETTING,
    fresh_runs,
    send_message_starts_one_run_per_response_uuid,
    send_message_to_runs,
)

from {{ cookiecutter.package_name }}.kit import handler as entry_point
from {{ cookiecutter.package_name }}.kit.app import create_app
from {{ cookiecutter.package_name }}.kit.settings import ConfigError

from conftest import http_event
from lambda_context import LambdaContext

__all__ = ["fresh_runs"]


def call(method: str, path: str, body: dict | None, headers: dict | None) -> tuple[int, dict]:
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    reply = entry_point.handler(http_event(path, body, method, lowered), LambdaContext())
    return reply["statusCode"], json.loads(reply["body"])


@pytest.fixture
def app_with_runs(fresh_runs, environment):
    """The entry point's app as a process started with SEND_MESSAGE_TO_RUNS=true builds it."""
    send_message_to_runs(environment)
    environment.setattr(entry_point.http_handler, "app", create_app())


def test_send_message_starts_one_run_per_response_uuid_when_set(app_with_runs):
    send_message_starts_one_run_per_response_uuid(call)


def test_a_bad_send_message_to_runs_stops_the_app_with_one_line(fresh_runs, environment):
    send_message_to_runs(environment, "maybe")
    with pytest.raises(ConfigError) as raised:
        create_app()
    assert str(raised.value) == BAD_SETTING

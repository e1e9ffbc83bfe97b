"""Runs through the web server the Lambda Web Adapter fronts, events route included."""

import pytest
from fastapi.testclient import TestClient
from runs_flow import (
    BAD_SETTING,
    fresh_runs,
    send_message_starts_one_run_per_response_uuid,
    send_message_to_runs,
)

from {{ cookiecutter.package_name }}.kit.server import create_server
from {{ cookiecutter.package_name }}.kit.settings import ConfigError

__all__ = ["fresh_runs"]


@pytest.fixture
def client(fresh_runs, environment):
    send_message_to_runs(environment)
    with TestClient(create_server({"AWS_LWA_PASS_THROUGH_PATH": "/events"})) as running:
        yield running


def test_send_message_starts_one_run_per_response_uuid_when_set(client):
    def call(method, path, body, headers):
        reply = client.request(method, path, json=body, headers=headers)
        return reply.status_code, reply.json()

    send_message_starts_one_run_per_response_uuid(call)


def test_an_event_that_is_not_a_durable_invocation_is_refused(client):
    reply = client.post("/events", json={"DurableExecutionArn": "arn:only"})
    assert reply.status_code == 400
    assert "no handler for an event with keys ['DurableExecutionArn']" in reply.json()["error"]["message"]


def test_a_bad_send_message_to_runs_stops_the_server_with_one_line(fresh_runs, environment):
    send_message_to_runs(environment, "maybe")
    with pytest.raises(ConfigError) as raised:
        create_server({})
    assert str(raised.value) == BAD_SETTING

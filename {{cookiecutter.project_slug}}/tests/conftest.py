"""Offline fixtures: a clean environment, sample events, and fake AWS credentials."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.settings import VARIABLES, get_settings

import kit_tools

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """Every test starts from the defaults; no real AWS account is ever reached."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ECHO_DELAY_MS", "0")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "{{ cookiecutter.aws_region }}")
    # The kit's tests answer with the kit's own tools and loop, whatever the author's jobs do.
    monkeypatch.setattr(author, "run_scheduled", kit_tools.scheduled_job)
    monkeypatch.setattr(author, "answer_message", loop.run_agent)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def aws(environment):
    """A clean moto server that boto3 in a test and the kit's ``aws_api`` both call (over
    HTTP: ``mock_aws`` cannot see the kit's client); its endpoint."""
    import moto_server  # moto loads only for the tests that use it

    return moto_server.use(environment)


@pytest.fixture
def messages_table(aws, environment):
    """The message store's table on the moto server, named to the function by MESSAGES_TABLE."""
    import boto3

    boto3.client("dynamodb").create_table(
        TableName="agent-messages",
        KeySchema=[{"AttributeName": "response_uuid", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "response_uuid", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    environment.setenv("MESSAGES_TABLE", "agent-messages")
    get_settings.cache_clear()
    return "agent-messages"


def load_event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def http_event(
    path: str,
    body: dict | str | None = None,
    method: str = "POST",
    headers: dict | None = None,
    source_ip: str = "203.0.113.10",
) -> dict:
    """A Function URL event for ``method path`` built from events/function_url.json."""
    event = copy.deepcopy(load_event("function_url.json"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["sourceIp"] = source_ip
    event["headers"].update(headers or {})
    if body is None:
        event.pop("body", None)
    else:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


def sqs_event(*bodies: str) -> dict:
    """An SQS batch with one record per body, message ids msg-0, msg-1, ..."""
    template = load_event("sqs_batch.json")["Records"][0]
    records = []
    for index, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record["messageId"] = f"msg-{index}"
        record["body"] = body
        records.append(record)
    return {"Records": records}

"""`make invoke` for this flavor: a local stand-in for the adapter (every route through it is in
tests/entrypoint/test_routes.py)."""

import json
import time
from pathlib import Path

import httpx
import pytest
from invoke import main
from live_server import serve
from local_adapter import InvocationFailed, http_request, invoke

from {{ cookiecutter.package_name }}.kit.server import create_server

from conftest import load_event, sqs_event

ROOT = Path(__file__).resolve().parents[2]


def test_a_batch_that_fails_whole_fails_the_invocation():
    with pytest.raises(InvocationFailed, match="HTTP 500"):
        invoke(sqs_event("{", "}"))


def test_invoke_script_uses_the_stand_in(capsys):
    assert main([str(ROOT / "events" / "schedule.json"), "--handler", "local_adapter.invoke"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_a_rest_api_event_streams_through_the_adapters_request(environment):
    """The request the adapter makes of a REST API event streams back as the app writes it."""
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "s3cret")
    event = load_event("apigw_v1.json")
    event["requestContext"]["identity"]["apiKeyId"] = "k1a2b3c4"
    arguments = {"message": "hi", "steps": 3, "delay_ms": 150}
    event["body"] = json.dumps({"tool": "slow_process", "arguments": arguments})
    request = http_request(event)
    assert json.loads(request["headers"]["x-amzn-request-context"])["resourcePath"] == "/invoke"
    with (
        serve(create_server({}, behind_adapter=True)) as base_url,
        httpx.Client(timeout=30) as client,
        client.stream(
            request["method"],
            base_url + request["url"],
            headers=request["headers"],
            content=request["content"],
        ) as response,
    ):
        arrivals = [(time.monotonic(), json.loads(line)) for line in response.iter_lines() if line]
    assert (response.status_code, response.headers["content-type"]) == (200, "application/x-ndjson")
    assert [line["type"] for _, line in arrivals] == ["status"] * 4 + ["result"]
    assert arrivals[-1][0] - arrivals[0][0] >= 0.3, "the lines arrived together: the reply was buffered"

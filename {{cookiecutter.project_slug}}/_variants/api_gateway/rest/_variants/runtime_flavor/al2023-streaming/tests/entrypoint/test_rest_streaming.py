"""A REST API in front: its events stream when the infrastructure says the integration does."""

import json

import pytest
from http_stub import serving
from lambda_standin import HTTP_INTEGRATION, FunctionUrlServer
from rest_api_standin import rest_api_event
from test_router import collect
from test_runtime import assert_relays_chunks_as_they_come, invoke, ndjson_lines, runtime

from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import ConfigError, Settings, get_settings

from conftest import load_event
from lambda_context import LambdaContext


def test_rest_api_streaming_is_read_as_true_or_false():
    assert Settings.from_env({}).rest_api_streaming is False
    assert Settings.from_env({"REST_API_STREAMING": "TRUE"}).rest_api_streaming is True
    with pytest.raises(ConfigError, match="REST_API_STREAMING must be true or false") as raised:
        Settings.from_env({"REST_API_STREAMING": "yes"})
    assert "\n" not in str(raised.value)


def test_rest_api_events_stream_only_when_the_infrastructure_says_so(environment):
    assert isinstance(handler(load_event("apigw_v1.json"), LambdaContext()), dict)
    environment.setenv("REST_API_STREAMING", "true")
    get_settings.cache_clear()
    head, body = collect(handler(load_event("apigw_v1.json"), LambdaContext()))
    assert (head.status_code, head.headers["content-type"]) == (200, "application/x-ndjson")
    assert json.loads(body.splitlines()[-1])["type"] == "result"
    reply = handler(load_event("apigw_v2.json"), LambdaContext())
    assert isinstance(reply, dict), "an HTTP API cannot stream"


@pytest.fixture(scope="module")
def api():
    """The runtime without ``REST_API_STREAMING``."""
    with runtime() as (server, _):
        yield server


@pytest.fixture(scope="module")
def rest_api():
    """The runtime configured as the infrastructure configures it behind a streaming REST API."""
    with runtime(REST_API_STREAMING="true") as (server, _):
        yield server


def rest_event(path, body):
    return rest_api_event("POST", path, {"content-type": "application/json"}, json.dumps(body).encode())


def test_rest_api_event_is_buffered_unless_configured(api):
    reply = invoke(api, rest_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}}))
    assert reply.kind == "buffered"
    proxy = json.loads(reply.body)
    assert proxy["statusCode"] == 200
    assert json.loads(proxy["body"].splitlines()[-1])["type"] == "result"


def test_rest_api_event_streams_with_the_prelude_when_configured(rest_api):
    arguments = {"message": "hi", "steps": 3, "delay_ms": 200}
    reply = invoke(rest_api, rest_event("/invoke", {"tool": "slow_process", "arguments": arguments}))
    assert reply.kind == "streamed"
    assert reply.headers["content-type"] == HTTP_INTEGRATION
    prelude, payload = reply.http()
    assert prelude["statusCode"] == 200
    assert prelude["headers"]["content-type"] == "application/x-ndjson"
    assert [line["type"] for line in ndjson_lines(payload)] == ["status"] * 4 + ["result"]
    arrived = [at for at, _ in reply.chunks]
    assert arrived[-1] - arrived[0] >= 0.5, "the chunks arrived together: the reply was buffered"


def test_rest_api_stream_failing_midway_gets_the_error_trailers(rest_api):
    reply = invoke(rest_api, rest_event("/invoke", {"tool": "fails_midway", "arguments": {"message": "x"}}))
    assert reply.kind == "streamed"
    assert [line["type"] for line in ndjson_lines(reply.http()[1])] == ["status", "error"]
    assert reply.error_type == "Runtime.HandlerError"
    assert reply.error["errorType"] == "StreamFailed"


def test_local_rest_api_relays_chunks_as_they_come(rest_api):
    with serving(FunctionUrlServer(0, rest_api, 60_000, event_of=rest_api_event)) as front:
        assert_relays_chunks_as_they_come(front)
    assert rest_api.history[-1].event["requestContext"]["resourcePath"] == "/{proxy+}"

"""``POST /mcp`` through the function's entry point, read by the official MCP client: current and
legacy protocol, tools listed with the model's schemas, a call with progress, a tool's error, and
the API key.

The client talks HTTP; ``FunctionUrl`` turns each request into the Function URL event Lambda
would send and answers with what the entry point returns.
"""

import json
import time

import anyio
import httpx2
import pytest
from entry_point import invoke
from http_stub import HttpStub
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from {{ cookiecutter.package_name }}.kit.agent import tools
from {{ cookiecutter.package_name }}.kit.settings import get_settings

from conftest import http_event

KEY = "mcp-test-key"


class FunctionUrl(HttpStub):
    """An HTTP front that hands each request to the entry point as a Function URL event."""

    def __init__(self) -> None:
        super().__init__(self.answer)

    def answer(self, request, reply) -> None:
        event = http_event(
            request["path"], request["data"].decode(), request["method"], headers=request["headers"]
        )
        response = invoke(event)
        headers = {k: v for k, v in response.get("headers", {}).items() if k.lower() != "content-length"}
        content_type = headers.pop("content-type", "application/json")
        reply.send(response["statusCode"], response.get("body", "").encode(), content_type, headers)


@pytest.fixture
def url(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", KEY)
    get_settings.cache_clear()
    with FunctionUrl() as front:
        yield f"{front.url}/mcp"


def connect(url: str, mode: str, key: str | None = KEY):
    headers = {"authorization": f"Bearer {key}"} if key else {}
    http = httpx2.AsyncClient(headers=headers, timeout=30)
    return http, Client(streamable_http_client(url, http_client=http), mode=mode)


async def session(url: str, mode: str, work):
    http, client = connect(url, mode)
    async with http, client:
        return await work(client)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_tools_are_listed_with_the_schemas_the_model_sees(url, mode):
    listed = anyio.run(session, url, mode, lambda client: client.list_tools())
    by_name = {tool.name: tool for tool in listed.tools}
    for spec in tools.specs():
        assert by_name[spec["name"]].input_schema == spec["parameters"]
        assert by_name[spec["name"]].description == spec["description"]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_a_call_reports_its_progress_then_its_result(url, mode):
    progress = []

    async def work(client):
        async def report(done, total, message):
            progress.append((done, message))

        arguments = {"message": "hi", "steps": 2, "delay_ms": 0}
        return await client.call_tool("slow_process", arguments, progress_callback=report)

    called = anyio.run(session, url, mode, work)
    assert called.is_error is False
    assert json.loads(called.content[0].text)["steps"] == 2
    assert progress == [(1, "Starting: hi"), (2, "Step 1/2 complete"), (3, "Step 2/2 complete")]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_a_failing_tool_and_bad_arguments_are_error_results_not_protocol_errors(url, mode):
    async def work(client):
        failed = await client.call_tool("fails_midway", {"message": "x"})
        refused = await client.call_tool("slow_process", {"message": "x", "steps": 0})
        return failed, refused

    failed, refused = anyio.run(session, url, mode, work)
    assert failed.is_error and "the tool broke mid-way" in failed.content[0].text
    assert refused.is_error and "steps" in refused.content[0].text


def test_an_unknown_tool_is_a_protocol_error(url):
    async def work(client):
        with pytest.raises(MCPError, match="unknown tool 'nope'"):
            await client.call_tool("nope", {})

    anyio.run(session, url, "auto", work)


def test_without_the_key_the_answer_is_401_with_www_authenticate(url):
    reply = httpx2.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=10)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_get_and_delete_are_405(url, method):
    reply = httpx2.request(method, url, headers={"authorization": f"Bearer {KEY}"}, timeout=10)
    assert reply.status_code == 405
    assert "POST" in reply.headers["allow"]


def assert_progress_arrives_while_the_tool_works(url: str) -> None:
    """Where the function streams: each progress line reaches the client as the tool sends it."""
    arrived = []

    async def work(client):
        async def report(done, total, message):
            arrived.append(time.monotonic())

        arguments = {"message": "live", "steps": 3, "delay_ms": 400}
        called = await client.call_tool("slow_process", arguments, progress_callback=report)
        arrived.append(time.monotonic())
        return called

    called = anyio.run(session, url, "auto", work)
    assert called.is_error is False
    assert len(arrived) == 5  # four progress lines, then the result
    assert arrived[-1] - arrived[0] >= 1.0, "the progress came with the result, not before it"

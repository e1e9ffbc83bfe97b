"""Remote MCP servers' tools in the agent's run (``MCP_SERVERS``), offline: a server built with
the official SDK runs on localhost in this process; the run offers its tools beside the author's,
calls them with their progress as status events, hands a tool's error to the model, and answers
when a server is down.
"""

import json

import pytest

from {{ cookiecutter.package_name }}.kit.agent import loop, remote_tools
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings

from fake_provider import serving
from weather_mcp import DOWN, weather_server


@pytest.fixture(scope="module")
def server_url():
    with weather_server() as url:
        yield url


@pytest.fixture
def remote(environment):
    """Settings whose MCP_SERVERS names the given servers."""
    remote_tools._listings.clear()

    def use(**servers):
        environment.setenv("MCP_SERVERS", json.dumps(servers))
        get_settings.cache_clear()
        return get_settings()

    yield use
    remote_tools._listings.clear()


def run(text: str, settings: Settings) -> list:
    return list(loop.run_agent([Message("user", text)], settings))


def outcome(events: list) -> dict:
    """The payload of the run's (first) tool_result."""
    return next(e.payload for e in events if e.type == "tool_result")


def test_the_agent_calls_a_remote_tool_and_streams_its_progress(remote, server_url):
    events = run('/tool weather__forecast {"city": "Oslo"}', remote(weather={"url": server_url}))
    steps = [e.type for e in events if e.type not in ("status", "delta") or "id" in e.payload]
    assert steps == ["tool_call", "status", "status", "tool_result", "result"]
    call = next(e.payload for e in events if e.type == "tool_call")
    assert call["name"] == "weather__forecast" and call["arguments"] == {"city": "Oslo"}
    statuses = [e.payload for e in events if e.type == "status" and "id" in e.payload]
    assert statuses == [
        {"message": "Looking up Oslo", "id": call["id"]},
        {"message": "Reading the forecast", "id": call["id"]},
    ]
    assert outcome(events) == {"id": call["id"], "name": "weather__forecast", "output": "Oslo: sunny"}
    assert events[-1].payload["text"] == "weather__forecast returned Oslo: sunny"


def test_a_remote_tools_error_is_the_result_the_model_reads(remote, server_url):
    events = run("/tool weather__outage {}", remote(weather={"url": server_url}))
    assert "the weather service is offline" in outcome(events)["error"]
    assert events[-1].type == "result"
    assert events[-1].payload["text"].startswith("weather__outage failed with ")


def test_a_server_that_is_down_costs_its_tools_never_the_run(remote, server_url):
    settings = remote(weather={"url": server_url}, gone=DOWN)
    events = run("/tool gone__anything {}", settings)
    assert "unknown tool 'gone__anything'" in outcome(events)["error"]
    assert events[-1].type == "result"
    events = run('/tool weather__forecast {"city": "Rome"}', settings)
    assert outcome(events)["output"] == "Rome: sunny"


def test_the_model_calls_a_remote_tool_through_the_provider(remote, server_url, environment):
    """Offered beside the kit's own tools, called, and its result read by the model, whichever
    provider: the stand-ins' ``remote-user`` model calls the first remote tool it is offered."""
    with serving() as provider:
        for name, value in provider.env.items():
            environment.setenv(name, value)
        if provider.requests is None:  # the echo model: it calls what it is told to
            events = run('/tool weather__forecast {"city": "Lima"}', remote(weather={"url": server_url}))
        else:
            environment.setenv("AGENT_MODEL", "remote-user")
            events = run("use the remote tool", remote(weather={"url": server_url}))
            offered = repr(provider.requests[0])
            assert "weather in a city" in offered and "slow_process" in offered
    assert "Lima: sunny" in str(outcome(events)["output"])
    assert events[-1].type == "result" and "Lima: sunny" in events[-1].payload["text"]

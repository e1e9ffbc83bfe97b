"""Remote MCP servers' tools in the agent's run (``MCP_SERVERS``), offline: a server built with
the official SDK runs on localhost in this process (``weather_mcp``); the agent offers its tools,
calls them with their progress as status events, reads a tool's error, and answers when a server
is down.
"""

import json
import time

import pytest

from {{ cookiecutter.package_name }}.kit.agent import loop, remote_tools
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import ConfigError, Settings

from fake_provider import serving
from weather_mcp import DOWN, HEADERS_SEEN, weather_server, with_servers


@pytest.fixture(scope="module")
def server_url():
    with weather_server() as url:
        yield url


@pytest.fixture
def remote(environment):
    """MCP_SERVERS naming the given servers, for one test."""
    yield lambda **servers: with_servers(environment, **servers)
    remote_tools._listings.clear()


def run(text: str, settings: Settings) -> list:
    return list(loop.run_agent([Message("user", text)], settings))


def outcome(events: list) -> dict:
    """The payload of the run's (first) tool_result."""
    return next(e.payload for e in events if e.type == "tool_result")


def test_the_agent_calls_a_remote_tool_and_streams_its_progress(remote, server_url):
    settings = remote(weather={"url": server_url, "headers": {"x-team": "agents"}})
    events = run('/tool weather__forecast {"city": "Oslo"}', settings)
    kinds = [e.type for e in events if e.type in ("tool_call", "status", "tool_result", "result")]
    assert kinds == ["status", "tool_call", "status", "status", "tool_result", "result"]
    call_id = next(e.payload["id"] for e in events if e.type == "tool_call")
    statuses = [e.payload for e in events if e.type == "status" and e.payload.get("id") == call_id]
    assert [s["message"] for s in statuses] == ["Looking up Oslo", "Reading the forecast"]
    assert outcome(events) == {"id": call_id, "name": "weather__forecast", "output": "Oslo: sunny"}
    assert events[-1].payload["text"] == "weather__forecast returned Oslo: sunny"
    assert HEADERS_SEEN[-1]["x-team"] == "agents"
    kept_for = remote_tools._listings["weather"][0] - time.monotonic()
    assert 50 < kept_for <= 60  # the server's ttlMs hint: the next runs do not list again


def test_a_remote_tools_error_is_the_result_the_model_reads(remote, server_url):
    events = run("/tool weather__outage {}", remote(weather={"url": server_url}))
    assert "the weather service is offline" in outcome(events)["error"]
    assert events[-1].type == "result"
    assert events[-1].payload["text"].startswith("weather__outage failed with")


def test_a_server_that_is_down_costs_a_warning_and_its_tools_never_the_run(remote, server_url, capsys):
    settings = remote(weather={"url": server_url}, gone=DOWN)
    events = run("/tool gone__anything {}", settings)
    assert "gone__anything" in outcome(events)["error"]
    assert events[-1].type == "result"
    written = capsys.readouterr()  # the log's stream: stderr until the kit configures it for stdout
    lines = (written.out + written.err).splitlines()
    warnings = [line for line in lines if "did not list its tools" in line]
    assert len(warnings) == 1 and json.loads(warnings[0])["server"] == "gone"


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


@pytest.mark.parametrize(
    ("servers", "problem"),
    [
        ("{not json", "not JSON"),
        ('{"w": {"url": "http://mcp.example.com/mcp"}}', "must be https://"),
        ('{"w": {"url": "https://mcp.example.com/mcp", "secret_id": "a", "parameter": "b"}}', "not both"),
        ('{"w": {"url": "https://mcp.example.com/mcp", "token": "a"}}', "unknown field 'token'"),
        ('{"w w": {"url": "https://mcp.example.com/mcp"}}', "server name"),
    ],
)
def test_bad_mcp_servers_fail_at_cold_start_with_one_line(servers, problem):
    with pytest.raises(ConfigError, match=problem) as raised:
        Settings.from_env({"MCP_SERVERS": servers})
    assert str(raised.value).startswith("MCP_SERVERS: ") and "\n" not in str(raised.value)

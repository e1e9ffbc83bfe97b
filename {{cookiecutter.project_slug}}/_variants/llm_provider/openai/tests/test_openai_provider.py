"""The openai provider against a real HTTP server on 127.0.0.1, through the official SDK."""

import boto3
import pytest

from {{ cookiecutter.package_name }}.agent import agent
from {{ cookiecutter.package_name }}.agent.events import Message
from {{ cookiecutter.package_name }}.settings import Settings, get_settings

from chat_server import ChatServer


def run(events):
    return list(events)


@pytest.fixture
def server():
    with ChatServer(slow_seconds=2.5) as running:
        yield running


def settings_for(server, model="ok", **extra):
    values = {"LLM_PROVIDER": "openai", "OPENAI_BASE_URL": server.base_url, "AGENT_MODEL": model}
    values.setdefault("OPENAI_API_KEY", "sk-local-test")
    return Settings.from_env({**values, **extra})


def test_deltas_stream_in_order_and_the_key_is_sent(server):
    events = run(agent.run_agent([Message("user", "one two three four")], settings_for(server)))
    assert [e.type for e in events] == ["status", "delta", "delta", "delta", "delta", "result"]
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three", " four"]
    assert events[-1].payload["text"] == "one two three four"
    [request] = server.requests
    assert request["headers"]["authorization"] == "Bearer sk-local-test"
    assert request["body"]["stream"] is True
    assert request["body"]["messages"][0]["role"] == "system"


def test_an_error_mid_stream_becomes_an_error_event_after_the_first_deltas(server):
    events = run(agent.run_agent([Message("user", "a b c d")], settings_for(server, "fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "error"]
    assert "model overloaded" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


def test_a_dropped_connection_mid_stream_becomes_an_error_event(server):
    events = run(agent.run_agent([Message("user", "a b c d")], settings_for(server, "drop-midway")))
    assert events[-1].type == "error"
    assert events[-1].payload["message"].startswith("the connection to the model provider failed")


def test_a_provider_that_does_not_answer_in_time_is_an_error_event(server):
    settings = settings_for(server, "slow", LLM_TIMEOUT_S="1")
    events = run(agent.run_agent([Message("user", "hello")], settings))
    assert events[-1].type == "error"
    assert events[-1].payload["message"] == "the model provider did not answer within 1s"


def test_no_key_is_a_clear_error_event(server):
    events = run(agent.run_agent([Message("user", "hello")], settings_for(server, OPENAI_API_KEY="")))
    assert events[-1].type == "error"
    assert "no OpenAI API key" in events[-1].payload["message"]


def test_the_key_can_come_from_secrets_manager(server, aws):
    arn = boto3.client("secretsmanager").create_secret(Name="openai", SecretString="sk-from-sm")["ARN"]
    settings = settings_for(server, OPENAI_API_KEY="", OPENAI_API_KEY_SECRET_ID=arn)
    run(agent.run_agent([Message("user", "hi")], settings))
    assert server.requests[-1]["headers"]["authorization"] == "Bearer sk-from-sm"


def test_the_default_model_for_openai():
    assert Settings.from_env({"LLM_PROVIDER": "openai"}).agent_model == "gpt-4o-mini"
    get_settings.cache_clear()

"""The bedrock provider: real boto3 calls against a local ConverseStream endpoint."""

import pytest

from {{ cookiecutter.package_name }}.agent import agent, bedrock
from {{ cookiecutter.package_name }}.agent.events import Message
from {{ cookiecutter.package_name }}.settings import Settings

from bedrock_server import BedrockServer


def run(events):
    return list(events)


@pytest.fixture
def server(environment):
    with BedrockServer(slow_seconds=2.5) as running:
        environment.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", running.url)
        bedrock._client.cache_clear()
        yield running
    bedrock._client.cache_clear()


def settings(model="ok", **extra):
    return Settings.from_env({"LLM_PROVIDER": "bedrock", "AGENT_MODEL": model, **extra})


def test_deltas_stream_in_order(server):
    events = run(agent.run_agent([Message("user", "one two three")], settings()))
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three"]
    assert events[-1].payload["text"] == "one two three"
    [request] = server.requests
    assert request["model"] == "ok"
    assert request["body"]["system"] == [{"text": agent.SYSTEM_PROMPT}]
    assert request["body"]["messages"] == [{"role": "user", "content": [{"text": "one two three"}]}]


def test_an_exception_frame_mid_stream_is_an_error_event(server):
    events = run(agent.run_agent([Message("user", "a b c d")], settings("fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "error"]
    assert "modelStreamErrorException" in events[-1].payload["message"]


def test_access_denied_is_a_clear_error_event(server):
    events = run(agent.run_agent([Message("user", "hello")], settings("denied")))
    assert events[-1].payload["message"] == "Bedrock failed: AccessDeniedException: no access to this model"


def test_a_model_that_does_not_answer_in_time_is_an_error_event(server):
    events = run(agent.run_agent([Message("user", "hello")], settings("slow", LLM_TIMEOUT_S="1")))
    assert events[-1].payload["message"] == "the model provider did not answer within 1s"


def test_conversation_is_shaped_for_converse():
    request = bedrock.converse_request(
        [Message("system", "brief"), Message("user", "a"), Message("user", "b"), Message("assistant", "c")],
        "model-x",
    )
    assert request == {
        "modelId": "model-x",
        "system": [{"text": "brief"}],
        "messages": [
            {"role": "user", "content": [{"text": "a"}, {"text": "b"}]},
            {"role": "assistant", "content": [{"text": "c"}]},
        ],
    }

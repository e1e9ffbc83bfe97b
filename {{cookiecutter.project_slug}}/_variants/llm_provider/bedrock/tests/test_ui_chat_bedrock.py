"""/api/chat with the bedrock provider: the model's tool uses become UI tool parts, and a
tool-using turn sent back by the client reaches the model as toolUse / toolResult blocks."""

import json

import pytest

from {{ cookiecutter.package_name }} import ui_chat
from {{ cookiecutter.package_name }}.agent import bedrock
from {{ cookiecutter.package_name }}.settings import Settings

from bedrock_server import BedrockServer


@pytest.fixture
def server(environment):
    with BedrockServer() as running:
        environment.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", running.url)
        bedrock._client.cache_clear()
        yield running
    bedrock._client.cache_clear()


def settings(model):
    return Settings.from_env({"LLM_PROVIDER": "bedrock", "AGENT_MODEL": model})


def user(text, id_):
    return {"id": id_, "role": "user", "parts": [{"type": "text", "text": text}]}


def chunks_of(request, settings):
    raw = list(ui_chat.stream(request, settings))
    assert raw[-1] == b"data: [DONE]\n\n"
    return [json.loads(chunk[len(b"data: ") :]) for chunk in raw[:-1]]


def test_the_models_tool_uses_become_tool_parts(server):
    chunks = chunks_of(ui_chat.parse({"messages": [user("check both", "u1")]}), settings("tool-user"))
    calls = [(c["toolCallId"], c["toolName"]) for c in chunks if c["type"] == "tool-input-available"]
    assert calls == [("tooluse_a", "echo"), ("tooluse_b", "slow_process")]
    outputs = {c["toolCallId"]: c["output"] for c in chunks if c["type"] == "tool-output-available"}
    assert outputs["tooluse_a"] == {"message": "one"}
    assert chunks[-1] == {"type": "finish", "finishReason": "stop"}


def test_an_earlier_tool_turn_goes_to_the_model_as_tool_use_and_tool_result_blocks(server):
    assistant = {
        "id": "a1",
        "role": "assistant",
        "parts": [
            {"type": "step-start"},
            {"type": "text", "text": "Checking."},
            {
                "type": "tool-echo",
                "toolCallId": "tooluse_a",
                "state": "output-error",
                "input": {"message": "one"},
                "errorText": "boom",
            },
            {"type": "step-start"},
            {"type": "text", "text": "It failed."},
        ],
    }
    body = {"messages": [user("check", "u1"), assistant, user("and now?", "u2")]}
    chunks_of(ui_chat.parse(body), settings("ok"))
    [request] = server.requests
    sent = request["body"]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[1]["content"][1] == {
        "toolUse": {"toolUseId": "tooluse_a", "name": "echo", "input": {"message": "one"}}
    }
    result = sent[2]["content"][0]["toolResult"]
    assert (result["toolUseId"], result["status"]) == ("tooluse_a", "error")
    assert sent[3]["content"] == [{"text": "It failed."}]

"""/api/chat with the openai provider: the model's tool calls become UI tool parts, and a
tool-using turn sent back by the client reaches the model as Chat Completions history."""

import json

import pytest

from {{ cookiecutter.package_name }} import ui_chat
from {{ cookiecutter.package_name }}.settings import Settings

from chat_server import ChatServer


@pytest.fixture
def server():
    with ChatServer() as running:
        yield running


def settings_for(server, model):
    return Settings.from_env(
        {
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "AGENT_MODEL": model,
            "OPENAI_API_KEY": "sk-local-test",
        }
    )


def user(text, id_):
    return {"id": id_, "role": "user", "parts": [{"type": "text", "text": text}]}


def chunks_of(request, settings):
    raw = list(ui_chat.stream(request, settings))
    assert raw[-1] == b"data: [DONE]\n\n"
    return [json.loads(chunk[len(b"data: ") :]) for chunk in raw[:-1]]


def test_the_models_tool_calls_become_tool_parts(server):
    request = ui_chat.parse({"id": "c", "messages": [user("check both", "u1")]})
    chunks = chunks_of(request, settings_for(server, "tool-user"))
    calls = [(c["toolCallId"], c["toolName"]) for c in chunks if c["type"] == "tool-input-available"]
    assert calls == [("call_a", "echo"), ("call_b", "slow_process")]
    outputs = {c["toolCallId"]: c["output"] for c in chunks if c["type"] == "tool-output-available"}
    assert outputs["call_a"] == {"message": "one"}
    text = "".join(c["delta"] for c in chunks if c["type"] == "text-delta")
    assert text.startswith("Checking.Results:")
    assert chunks[-1] == {"type": "finish", "finishReason": "stop"}


def test_an_earlier_tool_turn_goes_to_the_model_as_tool_calls_and_tool_messages(server):
    assistant = {
        "id": "a1",
        "role": "assistant",
        "parts": [
            {"type": "step-start"},
            {"type": "text", "text": "Checking."},
            {
                "type": "tool-echo",
                "toolCallId": "call_a",
                "state": "output-available",
                "input": {"message": "one"},
                "output": {"message": "one"},
            },
            {"type": "step-start"},
            {"type": "text", "text": "Done."},
        ],
    }
    body = {"id": "c", "messages": [user("check", "u1"), assistant, user("and now?", "u2")]}
    chunks_of(ui_chat.parse(body), settings_for(server, "ok"))
    [sent] = [request["body"]["messages"] for request in server.requests]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool", "assistant", "user"]
    call = sent[2]["tool_calls"][0]
    assert (call["id"], call["function"]["name"]) == ("call_a", "echo")
    assert json.loads(call["function"]["arguments"]) == {"message": "one"}
    assert sent[3]["tool_call_id"] == "call_a"
    assert json.loads(sent[3]["content"]) == {"message": "one"}
    assert sent[4]["content"] == "Done."

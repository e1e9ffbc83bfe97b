"""The openai provider against a real HTTP server on 127.0.0.1, through the official SDK."""

import json
from pathlib import Path

import boto3
import pytest

from {{ cookiecutter.package_name }}.kit import ui_chat
from {{ cookiecutter.package_name }}.kit.agent import loop, tools
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings

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
    events = run(loop.run_agent([Message("user", "one two three four")], settings_for(server)))
    assert [e.type for e in events] == ["status", "delta", "delta", "delta", "delta", "result"]
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three", " four"]
    assert events[-1].payload["text"] == "one two three four"
    [request] = server.requests
    assert request["headers"]["authorization"] == "Bearer sk-local-test"
    assert request["body"]["stream"] is True
    assert request["body"]["messages"][0]["role"] == "system"


def test_an_error_mid_stream_becomes_an_error_event_after_the_first_deltas(server):
    events = run(loop.run_agent([Message("user", "a b c d")], settings_for(server, "fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "error"]
    assert "model overloaded" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


def test_a_dropped_connection_mid_stream_becomes_an_error_event(server):
    events = run(loop.run_agent([Message("user", "a b c d")], settings_for(server, "drop-midway")))
    assert events[-1].type == "error"
    assert events[-1].payload["message"].startswith("the connection to the model provider failed")


def test_a_provider_that_does_not_answer_in_time_is_an_error_event(server):
    settings = settings_for(server, "slow", LLM_TIMEOUT_S="1")
    events = run(loop.run_agent([Message("user", "hello")], settings))
    assert events[-1].type == "error"
    assert events[-1].payload["message"] == "the model provider did not answer within 1s"


def test_no_key_is_a_clear_error_event(server):
    events = run(loop.run_agent([Message("user", "hello")], settings_for(server, OPENAI_API_KEY="")))
    assert events[-1].type == "error"
    assert "no OpenAI API key" in events[-1].payload["message"]


def test_the_key_can_come_from_secrets_manager(server, aws):
    arn = boto3.client("secretsmanager").create_secret(Name="openai", SecretString="sk-from-sm")["ARN"]
    settings = settings_for(server, OPENAI_API_KEY="", OPENAI_API_KEY_SECRET_ID=arn)
    run(loop.run_agent([Message("user", "hi")], settings))
    assert server.requests[-1]["headers"]["authorization"] == "Bearer sk-from-sm"


def test_the_default_model_for_openai():
    assert Settings.from_env({"LLM_PROVIDER": "openai"}).agent_model == "gpt-4o-mini"
    get_settings.cache_clear()


def test_two_tool_calls_in_one_turn_run_and_go_back_in_the_next_request(server):
    events = run(loop.run_agent([Message("user", "check both")], settings_for(server, "tool-user")))
    calls = [e.payload for e in events if e.type == "tool_call"]
    assert calls == [
        {"id": "call_a", "name": "echo", "arguments": {"message": "one"}},
        {"id": "call_b", "name": "slow_process", "arguments": {"message": "two", "steps": 1, "delay_ms": 0}},
    ]
    results = [e.payload for e in events if e.type == "tool_result"]
    assert [(r["id"], r["name"]) for r in results] == [("call_a", "echo"), ("call_b", "slow_process")]
    statuses = [e.payload for e in events if e.type == "status" and "id" in e.payload]
    assert statuses[0] == {"id": "call_a", "message": "echoing"}
    assert {s["id"] for s in statuses[1:]} == {"call_b"}

    first, second = (request["body"] for request in server.requests)
    offered = {tool["function"]["name"]: tool for tool in first["tools"]}
    assert list(offered) == [spec["name"] for spec in tools.specs()]
    assert offered["slow_process"]["type"] == "function"
    assert offered["slow_process"]["function"]["parameters"]["required"] == ["message"]
    assistant, *tool_messages = second["messages"][-3:]
    assert assistant["role"] == "assistant" and assistant["content"] == "Checking."
    sent = assistant["tool_calls"]
    assert [(c["id"], c["function"]["name"], json.loads(c["function"]["arguments"])) for c in sent] == [
        ("call_a", "echo", {"message": "one"}),
        ("call_b", "slow_process", {"message": "two", "steps": 1, "delay_ms": 0}),
    ]
    assert [(m["role"], m["tool_call_id"]) for m in tool_messages] == [("tool", "call_a"), ("tool", "call_b")]
    assert json.loads(tool_messages[0]["content"]) == {"message": "one"}
    assert json.loads(tool_messages[1]["content"])["steps"] == 1
    text = "".join(e.payload["text"] for e in events if e.type == "delta")
    assert text.startswith("Checking.Results:") and '"summary"' in text
    assert events[-1].type == "result"


def test_generation_settings_pass_through_and_length_is_reported(server):
    options = {"max_tokens": 2, "temperature": 0.3, "stop": ["END"]}
    events = run(loop.run_agent([Message("user", "a b c d")], settings_for(server), options))
    assert events[-1].payload == {"text": "a b", "finish_reason": "length"}
    body = server.requests[-1]["body"]
    # The token limit under either of its Chat Completions names, never both.
    [limit] = [body[name] for name in ("max_tokens", "max_completion_tokens") if name in body]
    assert (limit, body["temperature"], body["stop"]) == (2, 0.3, ["END"])
    run(loop.run_agent([Message("user", "a")], settings_for(server), {"max_completion_tokens": 9}))
    assert server.requests[-1]["body"]["max_completion_tokens"] == 9
    assert "max_tokens" not in server.requests[-1]["body"]


def test_the_provider_never_imports_httpx_itself():
    source = (Path(loop.__file__).parent / "openai_chat.py").read_text()
    assert "import httpx" not in source


def ui_user(text, id_):
    return {"id": id_, "role": "user", "parts": [{"type": "text", "text": text}]}


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
    body = {"id": "c", "messages": [ui_user("check", "u1"), assistant, ui_user("and now?", "u2")]}
    assert list(ui_chat.stream(ui_chat.parse(body), settings_for(server)))[-1] == b"data: [DONE]\n\n"
    [sent] = [request["body"]["messages"] for request in server.requests]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool", "assistant", "user"]
    call = sent[2]["tool_calls"][0]
    assert (call["id"], call["function"]["name"]) == ("call_a", "echo")
    assert json.loads(call["function"]["arguments"]) == {"message": "one"}
    assert sent[3]["tool_call_id"] == "call_a"
    assert json.loads(sent[3]["content"]) == {"message": "one"}
    assert sent[4]["content"] == "Done."

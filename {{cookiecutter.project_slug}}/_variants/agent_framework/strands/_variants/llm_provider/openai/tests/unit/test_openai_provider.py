"""The openai provider: Strands' OpenAIModel against a real HTTP server on 127.0.0.1."""

import json

import boto3
import pytest

from {{ cookiecutter.package_name }}.kit import ui_chat
from {{ cookiecutter.package_name }}.kit.agent import loop, model, runner
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings

from chat_server import ChatServer


def run(events):
    return list(events)


@pytest.fixture
def server():
    model.forget_models()
    with ChatServer(slow_seconds=2.5) as running:
        yield running
    model.forget_models()


def settings_for(server, model_id="ok", **extra):
    values = {"LLM_PROVIDER": "openai", "OPENAI_BASE_URL": server.base_url, "AGENT_MODEL": model_id}
    values.setdefault("OPENAI_API_KEY", "sk-local-test")
    return Settings.from_env({**values, **extra})


def test_deltas_stream_in_order_the_key_is_sent_and_usage_asked_for(server):
    events = run(runner.run_agent([Message("user", "one two three four")], settings_for(server)))
    assert [e.type for e in events] == ["status", "delta", "delta", "delta", "delta", "model_call", "result"]
    assert (events[-2].payload["input_tokens"], events[-2].payload["output_tokens"]) == (1, 4)
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three", " four"]
    assert events[-1].payload == {"text": "one two three four", "finish_reason": "stop"}
    [request] = server.requests
    assert request["headers"]["authorization"] == "Bearer sk-local-test"
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["stream"] is True
    assert request["body"]["stream_options"] == {"include_usage": True}
    assert request["body"]["messages"][0]["role"] == "system"


def test_five_warm_invocations_in_one_process(server):
    for _ in range(5):
        events = run(loop.run_agent([Message("user", "one two three")], settings_for(server)))
        assert events[-1].payload == {"text": "one two three", "finish_reason": "stop"}
    assert len(server.requests) == 5


def test_an_error_mid_stream_becomes_an_error_event_after_the_first_deltas_and_the_call_s_record(server):
    events = run(runner.run_agent([Message("user", "a b c d")], settings_for(server, "fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "model_call", "error"]
    assert events[-2].payload["error"] == "provider_error"
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
    assert events[-1].payload["code"] == "provider_error"
    assert events[-1].payload["message"] == (
        "no OpenAI API key: set OPENAI_API_KEY, OPENAI_API_KEY_SECRET_ID or OPENAI_API_KEY_PARAMETER"
    )


def test_the_key_can_come_from_secrets_manager(server, aws):
    arn = boto3.client("secretsmanager").create_secret(Name="openai", SecretString="sk-from-sm")["ARN"]
    settings = settings_for(server, OPENAI_API_KEY="", OPENAI_API_KEY_SECRET_ID=arn)
    run(loop.run_agent([Message("user", "hi")], settings))
    assert server.requests[-1]["headers"]["authorization"] == "Bearer sk-from-sm"


def test_the_default_model_for_openai():
    assert Settings.from_env({"LLM_PROVIDER": "openai"}).agent_model == "gpt-4o-mini"
    get_settings.cache_clear()


def test_two_tool_calls_in_one_turn_run_one_after_the_other_and_go_back_in_the_next_request(server):
    events = run(loop.run_agent([Message("user", "check both")], settings_for(server, "tool-user")))
    steps = [
        (e.type, e.payload.get("id")) for e in events if e.type in ("tool_call", "status", "tool_result")
    ]
    assert steps == [
        ("status", None),
        ("tool_call", "call_a"),
        ("status", "call_a"),
        ("tool_result", "call_a"),
        ("tool_call", "call_b"),
        ("status", "call_b"),
        ("status", "call_b"),
        ("tool_result", "call_b"),
    ]
    calls = [e.payload for e in events if e.type == "tool_call"]
    assert calls == [
        {"id": "call_a", "name": "echo", "arguments": {"message": "one"}},
        {"id": "call_b", "name": "slow_process", "arguments": {"message": "two", "steps": 1, "delay_ms": 0}},
    ]
    results = {e.payload["id"]: e.payload["output"] for e in events if e.type == "tool_result"}
    assert results == {
        "call_a": {"message": "one"},
        "call_b": {"message": "two", "steps": 1, "summary": "Processed 'two' in 1 steps"},
    }

    first, second = (request["body"] for request in server.requests)
    offered = {tool["function"]["name"]: tool for tool in first["tools"]}
    assert list(offered) == [spec["name"] for spec in runner.tool_specs()]
    assert offered["slow_process"]["function"]["parameters"]["required"] == ["message"]
    tool_messages = [m for m in second["messages"] if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_messages] == ["call_a", "call_b"]
    text = "".join(e.payload["text"] for e in events if e.type == "delta")
    assert text.startswith("Checking.Results:") and '"summary"' in text
    assert events[-1].type == "result"


def test_generation_settings_pass_through_and_length_is_reported(server):
    options = {"max_tokens": 2, "temperature": 0.3, "stop": ["END"]}
    events = run(loop.run_agent([Message("user", "a b c d")], settings_for(server), options))
    assert events[-1].payload == {"text": "a b", "finish_reason": "length"}
    body = server.requests[-1]["body"]
    assert (body["max_tokens"], body["temperature"], body["stop"]) == (2, 0.3, ["END"])
    run(loop.run_agent([Message("user", "a")], settings_for(server), {"max_completion_tokens": 9}))
    assert server.requests[-1]["body"]["max_completion_tokens"] == 9
    assert "max_tokens" not in server.requests[-1]["body"]


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
    assert [m["role"] for m in sent][:4] == ["system", "user", "assistant", "tool"]
    call = sent[2]["tool_calls"][0]
    assert (call["id"], call["function"]["name"]) == ("call_a", "echo")
    assert json.loads(call["function"]["arguments"]) == {"message": "one"}
    assert sent[3]["tool_call_id"] == "call_a"
    assert [m["role"] for m in sent][-1] == "user"

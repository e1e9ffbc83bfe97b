"""The bedrock provider: real boto3 calls against a local ConverseStream endpoint."""

import json

import pytest

from {{ cookiecutter.package_name }}.kit import author, ui_chat
from {{ cookiecutter.package_name }}.kit.agent import bedrock, loop, tools
from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall
from {{ cookiecutter.package_name }}.kit.settings import Settings

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
    events = run(loop.run_agent([Message("user", "one two three")], settings()))
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three"]
    assert events[-1].payload["text"] == "one two three"
    [request] = server.requests
    assert request["model"] == "ok"
    assert request["body"]["system"] == [{"text": author.system_prompt()}]
    assert request["body"]["messages"] == [{"role": "user", "content": [{"text": "one two three"}]}]


def test_an_exception_frame_mid_stream_is_an_error_event(server):
    events = run(loop.run_agent([Message("user", "a b c d")], settings("fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "error"]
    assert "modelStreamErrorException" in events[-1].payload["message"]


def test_access_denied_is_a_clear_error_event(server):
    events = run(loop.run_agent([Message("user", "hello")], settings("denied")))
    assert "AccessDeniedException: no access to this model" in events[-1].payload["message"]


def test_a_model_that_does_not_answer_in_time_is_an_error_event(server):
    events = run(loop.run_agent([Message("user", "hello")], settings("slow", LLM_TIMEOUT_S="1")))
    assert events[-1].payload["message"] == "the model provider did not answer within 1s"


def test_two_tool_uses_in_one_turn_run_and_go_back_as_tool_results(server):
    events = run(loop.run_agent([Message("user", "check both")], settings("tool-user")))
    calls = [e.payload for e in events if e.type == "tool_call"]
    assert calls == [
        {"id": "tooluse_a", "name": "echo", "arguments": {"message": "one"}},
        {
            "id": "tooluse_b",
            "name": "slow_process",
            "arguments": {"message": "two", "steps": 1, "delay_ms": 0},
        },
    ]
    results = [e.payload for e in events if e.type == "tool_result"]
    assert [(r["id"], "output" in r) for r in results] == [("tooluse_a", True), ("tooluse_b", True)]
    first, second = (request["body"] for request in server.requests)
    specs = first["toolConfig"]["tools"]
    assert [spec["toolSpec"]["name"] for spec in specs] == [spec["name"] for spec in tools.specs()]
    assert specs[0]["toolSpec"]["inputSchema"]["json"]["required"] == ["message"]
    assistant, user = second["messages"][-2:]
    assert assistant == {
        "role": "assistant",
        "content": [
            {"text": "Checking."},
            {"toolUse": {"toolUseId": "tooluse_a", "name": "echo", "input": {"message": "one"}}},
            {
                "toolUse": {
                    "toolUseId": "tooluse_b",
                    "name": "slow_process",
                    "input": {"message": "two", "steps": 1, "delay_ms": 0},
                }
            },
        ],
    }
    assert user["role"] == "user"
    assert [block["toolResult"]["toolUseId"] for block in user["content"]] == ["tooluse_a", "tooluse_b"]
    assert json.loads(user["content"][0]["toolResult"]["content"][0]["text"]) == {"message": "one"}
    assert user["content"][0]["toolResult"].get("status", "success") == "success"
    assert events[-1].type == "result"
    text = events[-1].payload["text"]  # the model's answer quotes the results it was sent
    assert text.startswith("Checking.Results:") and '"summary"' in text


def test_the_conversation_goes_to_converse_as_alternating_turns_after_the_system_text(server):
    conversation = [
        Message("system", "brief"),
        Message("user", "a"),
        Message("user", "b"),
        Message("assistant", "c"),
        Message("user", "d"),
    ]
    run(loop.run_agent(conversation, settings()))
    [request] = server.requests
    assert "brief" in " ".join(block["text"] for block in request["body"]["system"])
    assert request["body"]["messages"] == [
        {"role": "user", "content": [{"text": "a"}, {"text": "b"}]},
        {"role": "assistant", "content": [{"text": "c"}]},
        {"role": "user", "content": [{"text": "d"}]},
    ]


def test_a_failed_tool_goes_back_with_status_error(server):
    call = ToolCall("t1", "nope", {})
    conversation = [
        Message("user", "go"),
        Message("assistant", "", (call,)),
        Message("tool", "unknown tool 'nope'", tool_call_id="t1", is_error=True),
    ]
    events = run(loop.run_agent(conversation, settings("tool-user")))
    assert events[-1].payload["text"] == "Results: unknown tool 'nope'"
    [request] = server.requests
    [block] = request["body"]["messages"][-1]["content"]
    result = block["toolResult"]
    assert (result["toolUseId"], result["status"]) == ("t1", "error")
    assert result["content"] == [{"text": "unknown tool 'nope'"}]


def test_generation_settings_become_the_inference_config(server):
    options = {"max_tokens": 2, "temperature": 0.2, "stop": "END"}
    events = run(loop.run_agent([Message("user", "a b c d")], settings(), options))
    assert events[-1].payload == {"text": "a b", "finish_reason": "length"}
    config = server.requests[-1]["body"]["inferenceConfig"]
    assert config == {"maxTokens": 2, "temperature": 0.2, "stopSequences": ["END"]}


def ui_user(text, id_):
    return {"id": id_, "role": "user", "parts": [{"type": "text", "text": text}]}


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
    body = {"messages": [ui_user("check", "u1"), assistant, ui_user("and now?", "u2")]}
    assert list(ui_chat.stream(ui_chat.parse(body), settings()))[-1] == b"data: [DONE]\n\n"
    [request] = server.requests
    sent = request["body"]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[1]["content"][1] == {
        "toolUse": {"toolUseId": "tooluse_a", "name": "echo", "input": {"message": "one"}}
    }
    result = sent[2]["content"][0]["toolResult"]
    assert (result["toolUseId"], result["status"]) == ("tooluse_a", "error")
    assert sent[3]["content"] == [{"text": "It failed."}]

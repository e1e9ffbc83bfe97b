"""The bedrock provider: Strands' BedrockModel, real boto3 calls against a local ConverseStream endpoint."""

import json

import pytest

from {{ cookiecutter.package_name }}.kit import author, ui_chat
from {{ cookiecutter.package_name }}.kit.agent import loop, model, runner
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings

from bedrock_server import BedrockServer


def run(events):
    return list(events)


@pytest.fixture
def server(environment):
    with BedrockServer(slow_seconds=2.5) as running:
        environment.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", running.url)
        model.forget_models()
        yield running
    model.forget_models()


def settings(model_id="ok", **extra):
    return Settings.from_env({"LLM_PROVIDER": "bedrock", "AGENT_MODEL": model_id, **extra})


def test_deltas_stream_in_order(server):
    events = run(loop.run_agent([Message("user", "one two three")], settings()))
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["one", " two", " three"]
    assert events[-1].payload == {"text": "one two three", "finish_reason": "stop"}
    [request] = server.requests
    assert request["model"] == "ok"
    assert request["body"]["system"] == [{"text": author.system_prompt()}]
    assert request["body"]["messages"] == [{"role": "user", "content": [{"text": "one two three"}]}]


def test_an_exception_frame_mid_stream_is_an_error_event_after_the_call_s_record(server):
    events = run(runner.run_agent([Message("user", "a b c d")], settings("fail-midway")))
    assert [e.type for e in events] == ["status", "delta", "delta", "model_call", "error"]
    assert events[-2].payload["error"] == "provider_error"
    assert "modelStreamErrorException" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


def test_access_denied_is_a_clear_error_event(server):
    events = run(loop.run_agent([Message("user", "hello")], settings("denied")))
    assert events[-1].payload["message"] == "Bedrock failed: AccessDeniedException: no access to this model"


def test_a_model_that_does_not_answer_in_time_is_an_error_event(server):
    events = run(loop.run_agent([Message("user", "hello")], settings("slow", LLM_TIMEOUT_S="1")))
    assert events[-1].payload["message"] == "the model provider did not answer within 1s"


def test_two_tool_uses_in_one_turn_run_one_after_the_other_and_go_back_as_tool_results(server):
    events = run(loop.run_agent([Message("user", "check both")], settings("tool-user")))
    steps = [(e.type, e.payload.get("id")) for e in events if e.type in ("tool_call", "tool_result")]
    assert steps == [
        ("tool_call", "tooluse_a"),
        ("tool_result", "tooluse_a"),
        ("tool_call", "tooluse_b"),
        ("tool_result", "tooluse_b"),
    ]
    calls = [e.payload for e in events if e.type == "tool_call"]
    assert calls[1] == {
        "id": "tooluse_b",
        "name": "slow_process",
        "arguments": {"message": "two", "steps": 1, "delay_ms": 0},
    }
    results = [e.payload for e in events if e.type == "tool_result"]
    assert results[0] == {"id": "tooluse_a", "name": "echo", "output": {"message": "one"}}
    first, second = (request["body"] for request in server.requests)
    specs = first["toolConfig"]["tools"]
    assert [spec["toolSpec"]["name"] for spec in specs] == [spec["name"] for spec in runner.tool_specs()]
    assert specs[0]["toolSpec"]["inputSchema"]["json"]["additionalProperties"] is False
    user = second["messages"][-1]
    assert [block["toolResult"]["toolUseId"] for block in user["content"]] == ["tooluse_a", "tooluse_b"]
    assert json.loads(user["content"][0]["toolResult"]["content"][0]["text"]) == {"message": "one"}
    assert events[-1].type == "result"
    assert events[-1].payload["text"].startswith('Checking.Results: {"message": "one"}')


def test_generation_settings_become_the_inference_config(server):
    options = {"max_tokens": 2, "temperature": 0.2, "stop": "END"}
    events = run(runner.run_agent([Message("user", "a b c d")], settings(), options))
    assert events[-1].payload == {"text": "a b", "finish_reason": "length"}
    record = events[-2].payload
    assert (record["finish_reason"], record["input_tokens"], record["output_tokens"]) == ("length", 1, 2)
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
    # Strands sends a result's status only to the models that take it (it reads the model id)
    assert (result["toolUseId"], result["content"]) == ("tooluse_a", [{"text": "boom"}])
    assert sent[3]["content"] == [{"text": "It failed."}]


def test_five_warm_invocations_in_one_process(server):
    for _ in range(5):
        events = run(loop.run_agent([Message("user", "one two")], settings()))
        assert events[-1].payload == {"text": "one two", "finish_reason": "stop"}

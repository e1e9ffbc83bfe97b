"""The Converse request the agent loop builds: the conversation as Bedrock wants it, before any call."""

from {{ cookiecutter.package_name }}.kit.agent import bedrock
from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall


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


def test_a_failed_tool_goes_back_with_status_error():
    call = ToolCall("t1", "nope", {})
    request = bedrock.converse_request(
        [
            Message("user", "go"),
            Message("assistant", "", (call,)),
            Message("tool", "unknown tool 'nope'", tool_call_id="t1", is_error=True),
        ],
        "model-x",
    )
    assert request["messages"][-1] == {
        "role": "user",
        "content": [
            {
                "toolResult": {
                    "toolUseId": "t1",
                    "content": [{"text": "unknown tool 'nope'"}],
                    "status": "error",
                }
            }
        ],
    }

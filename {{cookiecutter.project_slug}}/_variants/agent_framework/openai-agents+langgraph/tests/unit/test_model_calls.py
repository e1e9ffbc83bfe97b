"""The runner records each model call of a run as it ends (``model_call``), with the provider's own
numbers; ``loop.run_agent`` takes the records out before anyone sees the run."""

from {{ cookiecutter.package_name }}.kit.agent import loop, runner
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings

from fake_provider import TOOL_TURN_TOKENS, serving


def test_a_tool_turn_records_both_model_calls_and_the_loop_leaves_them_out(environment):
    with serving() as provider:
        extra_env, text = provider.tool_turn
        for name, value in {**provider.env, **extra_env}.items():
            environment.setenv(name, value)
        settings = Settings.from_env()
        events = list(runner.run_agent([Message("user", text)], settings))
        seen = [event.type for event in loop.run_agent([Message("user", text)], settings)]
    assert events[-1].type == "result" and seen[-1] == "result"
    assert "model_call" not in seen
    calls = [event for event in events if event.type == "model_call"]
    assert [call.payload["finish_reason"] for call in calls] == ["tool_calls", "stop"]
    tokens = [(call.payload["input_tokens"], call.payload["output_tokens"]) for call in calls]
    assert tokens == TOOL_TURN_TOKENS
    for call in calls:
        made = call.payload
        assert (made["model"], made["provider"]) == (settings.agent_model, settings.llm_provider)
        assert made["error"] is None
        assert made["started"] <= made["first_token"] <= call.timestamp
    assert calls[0].timestamp <= calls[1].payload["started"], "the second call follows the first"

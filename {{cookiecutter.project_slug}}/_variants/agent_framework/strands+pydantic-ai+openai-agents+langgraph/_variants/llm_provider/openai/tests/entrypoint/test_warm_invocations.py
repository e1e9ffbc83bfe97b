"""Warm invocations with the framework's real OpenAI model class against the Chat Completions stand-in,
through the function's entry point: one execution environment, five tool-using requests.

An ``AsyncOpenAI`` client kept between invocations fails the second one with "Event loop is
closed" when each invocation runs on an event loop of its own; the kit runs every run on one loop
kept for the execution environment, so the client and its connections stay usable.
"""

import json
import sys

from entry_point import invoke

from conftest import http_event
from fake_provider import serving


def test_five_warm_invocations_run_the_tools_and_answer(environment):
    with serving() as provider:
        extra_env, message = provider.tool_turn
        for name, value in {**provider.env, **extra_env}.items():
            environment.setenv(name, value)
        for _ in range(5):
            reply = invoke(http_event("/invoke", {"messages": [{"role": "user", "content": message}]}))
            assert reply["statusCode"] == 200
            lines = [json.loads(line) for line in reply["body"].splitlines()]
            types = [line["type"] for line in lines]
            assert types.count("tool_call") == 2 and types.count("tool_result") == 2, types
            assert all("output" in line for line in lines if line["type"] == "tool_result")
            assert types[-1] == "result" and lines[-1]["text"].startswith("Checking.Results:")
        bodies = [request["body"] for request in provider.requests]
    provider_module = "{{ cookiecutter.package_name }}.kit.agent.openai_chat"
    assert provider_module in sys.modules, "the real provider answered"
    assert len(bodies) == 10  # two model calls per run: the tool calls, then the answer
    assert all(body["stream"] and body["stream_options"] == {"include_usage": True} for body in bodies)

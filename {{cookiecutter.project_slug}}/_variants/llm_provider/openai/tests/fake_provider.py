"""The model provider as tests reach it: a local Chat Completions server."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

from chat_server import ChatServer

# The environment that points the function at its model, the requests the model got, the
# environment and user message of a turn in which the model calls the kit's tools, and what that
# turn makes: its tool calls (id, name, arguments) and how its text begins.
Provider = namedtuple("Provider", ["env", "requests", "tool_turn", "tool_reply"])
# The (input, output) tokens each model call of the tool turn reports: the tool calls, the answer.
TOOL_TURN_TOKENS = [(1, 2), (1, 3)]
SLOW_CALL = {"message": "two", "steps": 1, "delay_ms": 0}
CALLS = [("call_a", "echo", {"message": "one"}), ("call_b", "slow_process", SLOW_CALL)]


@contextmanager
def serving() -> Iterator[Provider]:
    with ChatServer() as server:
        env = {
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-local-test",
            "AGENT_MODEL": "ok",
        }
        tool_turn = ({"AGENT_MODEL": "tool-user"}, "use your tools")
        yield Provider(env, server.requests, tool_turn, (CALLS, "Checking.Results:"))

"""The model provider as tests reach it: a local Chat Completions server."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

from chat_server import ChatServer

# The environment that points the function at its model, the requests the model got, and the
# environment and user message of a turn in which the model calls the kit's tools.
Provider = namedtuple("Provider", ["env", "requests", "tool_turn"])


@contextmanager
def serving() -> Iterator[Provider]:
    with ChatServer() as server:
        env = {
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-local-test",
            "AGENT_MODEL": "ok",
        }
        yield Provider(env, server.requests, ({"AGENT_MODEL": "tool-user"}, "use your tools"))

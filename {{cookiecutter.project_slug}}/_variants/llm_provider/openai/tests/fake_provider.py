"""The model provider as tests reach it: a local Chat Completions server."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

from chat_server import ChatServer

# The environment that points the function at its model, and the requests the model got.
Provider = namedtuple("Provider", ["env", "requests"])


@contextmanager
def serving() -> Iterator[Provider]:
    with ChatServer() as server:
        env = {
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-local-test",
            "AGENT_MODEL": "ok",
        }
        yield Provider(env, server.requests)

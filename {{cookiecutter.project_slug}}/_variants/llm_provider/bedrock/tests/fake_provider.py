"""The model provider as tests reach it: a local Bedrock ConverseStream endpoint."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

from bedrock_server import BedrockServer

# The environment that points the function at its model, the requests the model got, and the
# environment and user message of a turn in which the model calls the kit's tools.
Provider = namedtuple("Provider", ["env", "requests", "tool_turn"])


@contextmanager
def serving() -> Iterator[Provider]:
    with BedrockServer() as server:
        env = {
            "LLM_PROVIDER": "bedrock",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": server.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AGENT_MODEL": "ok",
        }
        yield Provider(env, server.requests, ({"AGENT_MODEL": "tool-user"}, "use your tools"))

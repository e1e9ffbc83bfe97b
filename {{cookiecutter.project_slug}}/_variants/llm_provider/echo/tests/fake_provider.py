"""The model provider as tests reach it: the echo agent needs no server."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

# The environment that points the function at its model, the requests the model got (None:
# the echo model runs in the function itself), the environment and user message of a turn in
# which the model calls the kit's tools, and what that turn makes: its tool calls (id, name,
# arguments) and how its text begins.
Provider = namedtuple("Provider", ["env", "requests", "tool_turn", "tool_reply"])
# The (input, output) tokens each model call of the tool turn reports: the echo model reports none.
TOOL_TURN_TOKENS = [(None, None), (None, None)]


@contextmanager
def serving() -> Iterator[Provider]:
    tool_turn = ({}, '/tool echo {"message": "from the image"}')
    tool_reply = ([("call_echo_1", "echo", {"message": "from the image"})], "echo returned")
    yield Provider({"LLM_PROVIDER": "echo", "ECHO_DELAY_MS": "0"}, None, tool_turn, tool_reply)

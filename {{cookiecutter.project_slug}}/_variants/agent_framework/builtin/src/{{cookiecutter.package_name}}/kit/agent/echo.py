"""The echo provider: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic. It can also
drive the tool loop: a last user message ``/tool <name> <json arguments>`` asks for that
tool call, and once the result is in, the answer is a sentence holding the tool's output.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence

from ..settings import Settings
from .events import Message, ToolCall
from .model import Finish, max_tokens, stop_sequences

TOOL_COMMAND = "/tool "


def _tool_request(text: str, turn: int) -> ToolCall:
    name, _, raw = text[len(TOOL_COMMAND) :].strip().partition(" ")
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except ValueError:
        arguments = raw  # not JSON: the loop answers with an error, as it would a real model
    if not isinstance(arguments, dict):
        arguments = raw
    return ToolCall(f"call_echo_{turn}", name, arguments)


def _answer_to_tools(messages: Sequence[Message]) -> str:
    """A sentence per tool result at the end of the conversation."""
    names = {call.id: call.name for m in messages for call in m.tool_calls}
    sentences = []
    for message in reversed(messages):
        if message.role != "tool":
            break
        name = names.get(message.tool_call_id, "the tool")
        verb = "failed with" if message.is_error else "returned"
        sentences.insert(0, f"{name} {verb} {message.content}")
    return " ".join(sentences)


def stream_turn(
    messages: Sequence[Message], tools: list[dict], settings: Settings, options: dict
) -> Iterator[str | ToolCall | Finish]:
    """Yield the reply in pieces, as a streaming model would."""
    last = next((m for m in reversed(messages) if m.role not in ("system", "developer")), None)
    if last is not None and last.role == "tool":
        text = _answer_to_tools(messages)
    else:
        text = next((m.content for m in reversed(messages) if m.role == "user"), "")
        if last is not None and last.role == "user" and text.startswith(TOOL_COMMAND):
            turn = sum(1 for m in messages if m.tool_calls) + 1
            yield _tool_request(text, turn)
            return
    text = text or "(nothing to echo)"
    for stop in stop_sequences(options):
        text = text.partition(stop)[0]
    words = text.split(" ")
    limit = max_tokens(options)
    pause = settings.echo_delay_ms / 1000
    for index, word in enumerate(words):
        if limit is not None and index >= limit:
            yield Finish("length")
            return
        if index and pause:
            time.sleep(pause)
        yield word if index == 0 else f" {word}"

"""The kit's conversation as the Agents SDK's run input: a list of Responses input items.

User and system turns become messages, an assistant's text an output message as the model
wrote it; its tool calls become ``function_call`` items and the tool turns that answer them
``function_call_output`` items, so the model reads an earlier tool turn exactly as it made it
(Chat Completions: one assistant message with its text and its ``tool_calls``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .events import Message

# What the model reads in place of a failed call's output (the kit's events carry the error alone).
FAILED = "Error: "


def input_items(messages: Sequence[Message]) -> list[dict]:
    """Every turn of ``messages``, in order, as the SDK's input items."""
    items: list[dict] = []
    for message in messages:
        if message.role == "tool":
            output = FAILED + message.content if message.is_error else message.content
            items.append({"type": "function_call_output", "call_id": message.tool_call_id, "output": output})
            continue
        if message.role == "assistant" and message.content:
            items.append(_assistant_text(message.content, len(items)))
        elif message.role != "assistant":
            items.append({"role": message.role, "content": message.content})
        for call in message.tool_calls:
            arguments = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments)
            items.append(
                {"type": "function_call", "call_id": call.id, "name": call.name, "arguments": arguments}
            )
    return items


def _assistant_text(text: str, position: int) -> dict:
    part = {"type": "output_text", "text": text, "annotations": []}
    return {
        "type": "message",
        "role": "assistant",
        "id": f"msg_{position}",
        "status": "completed",
        "content": [part],
    }


def call_arguments(raw: str) -> object:
    """A call's arguments as the kit reports them: a dict, or the raw text when not a JSON object."""
    try:
        parsed = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return raw
    return parsed if isinstance(parsed, dict) else raw

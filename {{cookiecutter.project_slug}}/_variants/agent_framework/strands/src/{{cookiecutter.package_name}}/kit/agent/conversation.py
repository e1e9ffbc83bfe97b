"""The kit's conversation as Strands messages and system prompt blocks.

Strands (in the Converse message form) wants system text apart, turns that alternate user / assistant,
tool calls as ``toolUse`` blocks and tool results as ``toolResult`` blocks in a user turn; empty
text blocks are dropped (Converse refuses them).
"""

from __future__ import annotations

from collections.abc import Sequence

from .events import Message

SYSTEM_ROLES = ("system", "developer")


def system_blocks(messages: Sequence[Message]) -> list[dict]:
    """The caller's system (and developer) messages, as system prompt blocks."""
    return [{"text": m.content} for m in messages if m.role in SYSTEM_ROLES and m.content]


def _blocks(message: Message) -> list[dict]:
    if message.role == "tool":
        outcome = {
            "toolUseId": message.tool_call_id,
            "status": "error" if message.is_error else "success",
            "content": [{"text": message.content or ""}],
        }
        return [{"toolResult": outcome}]
    blocks: list[dict] = [{"text": message.content}] if message.content else []
    for call in message.tool_calls:
        arguments = call.arguments if isinstance(call.arguments, dict) else {}
        blocks.append({"toolUse": {"toolUseId": call.id, "name": call.name, "input": arguments}})
    return blocks


def strands_messages(messages: Sequence[Message]) -> list[dict]:
    """The turns other than system ones, merged so that user and assistant alternate."""
    turns: list[dict] = []
    for message in messages:
        blocks = [] if message.role in SYSTEM_ROLES else _blocks(message)
        if not blocks:
            continue
        role = "assistant" if message.role == "assistant" else "user"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns

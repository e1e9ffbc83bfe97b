"""Your agent. Edit freely: the handlers only see the events it yields."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from ..settings import Settings
from . import model
from .events import AgentEvent, Message, delta, error, result, status

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."


async def run_agent(messages: Sequence[Message], settings: Settings) -> AsyncIterator[AgentEvent]:
    """Answer a conversation: a status, the reply as text deltas, then the result."""
    yield status("thinking")
    conversation = [Message("system", SYSTEM_PROMPT), *messages]
    parts: list[str] = []
    try:
        async for text in model.stream_text(conversation, settings):
            parts.append(text)
            yield delta(text)
    except model.ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    yield result(text="".join(parts), finish_reason="stop")


async def reply_text(messages: Sequence[Message], settings: Settings) -> str:
    """Run the agent to the end and return its final text."""
    text = ""
    async for event in run_agent(messages, settings):
        if event.type == "result":
            text = event.payload["text"]
        elif event.type == "error":
            raise model.ProviderError(event.payload["message"])
    return text

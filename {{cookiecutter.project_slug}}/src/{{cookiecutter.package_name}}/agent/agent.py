"""Your agent. Edit freely: the handlers only see the events it yields."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..settings import Settings
from . import model
from .events import AgentEvent, Message, delta, error, result, status

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."


def run_agent(messages: Sequence[Message], settings: Settings) -> Iterator[AgentEvent]:
    """Answer a conversation: a status, the reply as text deltas, then the result.

    A plain generator: every flavor sends each event the moment it is yielded (the
    FastAPI flavors read it in a worker thread, so it never blocks their event loop).
    """
    yield status("thinking")
    conversation = [Message("system", SYSTEM_PROMPT), *messages]
    parts: list[str] = []
    try:
        for text in model.stream_text(conversation, settings):
            parts.append(text)
            yield delta(text)
    except model.ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    yield result(text="".join(parts), finish_reason="stop")


def reply_text(messages: Sequence[Message], settings: Settings) -> str:
    """Run the agent to the end and return its final text."""
    text = ""
    for event in run_agent(messages, settings):
        if event.type == "result":
            text = event.payload["text"]
        elif event.type == "error":
            raise model.ProviderError(event.payload["message"])
    return text

"""The agent's run: ``run_agent`` streams it (``runner`` drives the loop), and the helpers here
run it to the end.

``run_agent(messages, settings, options)`` is a plain generator of ``AgentEvent``s: ``status("thinking")``,
text ``delta``s, each tool's ``tool_call``, ``status`` lines and ``tool_result``, then one ``result``
or ``error``. The HTTP edge sends each event the moment it is yielded, and closing the generator
(caller gone, deadline) stops the run and a running tool.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..settings import Settings
from .errors import ProviderError
from .events import AgentEvent, Message
from .runner import preload, run_agent

__all__ = ["outcome_of", "preload", "reply", "reply_text", "run_agent"]


def reply_text(messages: Sequence[Message], settings: Settings) -> str:
    """Run the agent to the end and return its final text."""
    return reply(messages, settings)["text"]


def reply(messages: Sequence[Message], settings: Settings, options: dict | None = None) -> dict:
    """Run the agent to the end: the ``result`` payload (``text``, ``finish_reason``)."""
    return outcome_of(run_agent(messages, settings, options))


def outcome_of(events: Iterable[AgentEvent]) -> dict:
    """The ``result`` payload of a run's events; ProviderError when the run ends in an error."""
    outcome: dict = {"text": "", "finish_reason": "stop"}
    for event in events:
        if event.type == "result":
            outcome = event.payload
        elif event.type == "error":
            raise ProviderError(event.payload["message"])
    return outcome

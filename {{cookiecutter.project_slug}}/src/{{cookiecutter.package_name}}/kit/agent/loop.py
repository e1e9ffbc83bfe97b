"""The agent's run: ``run_agent`` streams it (``runner`` drives the loop), and the helpers here
run it to the end.

``run_agent(messages, settings, options)`` is a plain generator of ``AgentEvent``s: ``status("thinking")``,
text ``delta``s, each tool's ``tool_call``, ``status`` lines and ``tool_result``, then one ``result``
or ``error``. The HTTP edge sends each event the moment it is yielded, and closing the generator
(caller gone, deadline) stops the run and a running tool.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ..settings import Settings
from ..telemetry.run_observer import observe
from . import runner
from .errors import ProviderError
from .events import AgentEvent, Message
from .runner import preload

__all__ = ["outcome_of", "preload", "reply", "reply_text", "run_agent"]


def run_agent(
    messages: Sequence[Message], settings: Settings, options: dict | None = None
) -> Iterator[AgentEvent]:
    """The agent's run as it happens (see ``runner.run_agent``), observed for metrics and traces."""
    return observe(runner.run_agent(messages, settings, options), settings)


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

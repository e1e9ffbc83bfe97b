"""Work that runs with no caller waiting: the scheduled job, and the answer to a queued message."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from .kit.agent.events import AgentEvent, Message
from .kit.agent.loop import reply_text, run_agent
from .kit.logs import get_logger
from .kit.settings import Settings, get_settings

log = get_logger(__name__)


def run_scheduled(event: dict) -> dict:
    """Run by the EventBridge schedule. A self-check: one short turn through the agent.

    Put periodic work here; what it returns is logged and becomes the invocation's result.
    """
    started = time.perf_counter()
    reply = reply_text((Message("user", "scheduled check"),), get_settings())
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    log.info("scheduled job done", rule=event.get("resources", []), elapsed_ms=elapsed_ms)
    return {"status": "ok", "job": "self-check", "reply_chars": len(reply), "elapsed_ms": elapsed_ms}


def answer_message(conversation: Sequence[Message], settings: Settings) -> Iterator[AgentEvent]:
    """The events that answer a message sent to ``/api/v1/send_message``, at once or from the queue.

    The kit delivers them to whoever is waiting for the answer. Change what a message does here:
    look something up first, hand it to another agent, keep a record of it.
    """
    return run_agent(conversation, settings)

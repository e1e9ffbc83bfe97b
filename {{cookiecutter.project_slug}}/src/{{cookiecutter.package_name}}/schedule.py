"""The scheduled job, run by the EventBridge rule."""

from __future__ import annotations

import time

from .agent import agent
from .agent.events import Message
from .logs import get_logger
from .settings import get_settings

log = get_logger(__name__)


def run_scheduled(event: dict) -> dict:
    """A self-check: one short turn through the agent. Put periodic work here."""
    started = time.perf_counter()
    reply = agent.reply_text((Message("user", "scheduled check"),), get_settings())
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    log.info("scheduled job done", rule=event.get("resources", []), elapsed_ms=elapsed_ms)
    return {"status": "ok", "job": "self-check", "reply_chars": len(reply), "elapsed_ms": elapsed_ms}

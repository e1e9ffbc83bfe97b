"""A person's decision on one tool call, waited for at no cost: the run suspends until it comes."""

from __future__ import annotations

from aws_durable_execution_sdk_python import CallbackError, CallbackTimeoutError, DurableContext
from aws_durable_execution_sdk_python.config import Duration, WaitForCallbackConfig

from ..logs import get_logger

log = get_logger(__name__)


def wait_for_approval(context: DurableContext, name: str, call_id: str, timeout_s: int) -> str | None:
    """Suspend the run until a person approves or denies the call; the refusal, or None.

    The run costs nothing while it waits. The callback id is in the execution history, where
    ``GET /v1/runs/{id}`` finds it; ``POST /v1/runs/{id}/approval`` answers it.
    """

    def announce(callback_id: str, _context: object) -> None:
        log.info("approval needed", tool=name, id=call_id, callback_id=callback_id)

    config = WaitForCallbackConfig(timeout=Duration.from_seconds(timeout_s))
    try:
        context.wait_for_callback(announce, f"approval {name}#{call_id}", config)
    except CallbackTimeoutError:
        return f"not approved within {timeout_s} seconds (RUNS_APPROVAL_TIMEOUT_S); the tool did not run"
    except CallbackError as problem:
        reason = getattr(problem, "message", None) or str(problem) or "no reason given"
        return f"a person denied this call: {reason}"
    return None

"""The kit's record of each Strands model call (``model_call`` events), and Strands' own spans kept out.

``ModelCalls`` is an ``InvokeModelStage`` middleware: Strands runs it around every model call
(each retry of a throttled call too), so it sees when the call starts, its first streamed piece
of text or tool call, and how it ends: the ``ModelStopReason`` that carries Strands' normalised
stop reason and ``Usage``, or the exception. When the call ends it passes on a
``kit_model_call`` event holding the kit's ``model_call``: after the call's stream and before the
tools it asked for, or just before the exception that ends the run.

Strands makes OpenTelemetry spans of its own through its ``Tracer`` singleton, from whatever
tracer provider is global; the kit makes its spans from the run's events, so ``quiet_spans``
points that singleton at OpenTelemetry's no-op tracer (Strands 1.x has no switch for this).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from opentelemetry.trace import NoOpTracer
from strands.middleware import ModelStopReason, TypedEvent
from strands.telemetry.tracer import get_tracer

from ..settings import Settings
from .events import model_call
from .translate import FINISH_REASONS

# Strands' (Converse) stop reasons as the OpenAI finish_reason; any other is "stop".
MODEL_FINISH = {**FINISH_REASONS, "tool_use": "tool_calls"}


class ModelCalls:
    """Times each model call of a run and reports it as a ``kit_model_call`` event."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, context, next_fn) -> AsyncIterator[TypedEvent]:
        started, first_token, stop = time.time(), None, None
        try:
            async for event in next_fn(context):
                if first_token is None and _is_output(event):
                    first_token = time.time()
                if isinstance(event, ModelStopReason):
                    stop = event["stop"]
                yield event
        except Exception:
            yield self._report(started, first_token, error="provider_error")
            raise
        if stop is None:
            yield self._report(started, first_token)
            return
        reason, _, usage, _ = stop
        tokens = (usage.get("inputTokens"), usage.get("outputTokens"))
        yield self._report(started, first_token, MODEL_FINISH.get(reason, "stop"), *_reported(tokens))

    def _report(self, started: float, first_token: float | None, *outcome, error=None) -> TypedEvent:
        made = model_call(
            self.settings.agent_model, self.settings.llm_provider, started, first_token, *outcome, error=error
        )
        return TypedEvent({"kit_model_call": made})


def _is_output(event: object) -> bool:
    """A raw stream chunk with a piece of text or of a tool call."""
    chunk = event.get("event") if isinstance(event, dict) else None
    if not isinstance(chunk, dict):
        return False
    start = chunk.get("contentBlockStart", {}).get("start", {})
    return "contentBlockDelta" in chunk or "toolUse" in start


def _reported(tokens: tuple) -> tuple:
    """The tokens as the provider reported them: Strands counts 0 when it reported none."""
    return tokens if any(tokens) else (None, None)


def quiet_spans() -> None:
    """Strands' spans go nowhere, whichever tracer provider is global (idempotent, cheap)."""
    tracer = get_tracer()
    if not isinstance(tracer.tracer, NoOpTracer):
        tracer.tracer = NoOpTracer()

"""The kit's record of each Pydantic AI model request: a ``model_call`` event as the request ends.

``ModelCalls(settings)`` watches one run. Its ``capability`` (``before_model_request`` and
``after_model_request`` hooks) stamps when a request starts and, when it ends, reads the
``ModelResponse``: Pydantic AI's ``finish_reason`` (already in OpenAI terms, ``tool_call`` aside)
and its ``usage``, as each provider's model normalised it. The run's stream shows the request's
first piece of text or of a tool call (``saw``). The runner yields the records between the
stream's events (``ended``), so each comes after its request and before the tools it asked for,
and ``failed`` when the run stops on a provider's error, before that error.

Pydantic AI makes OpenTelemetry spans only when instrumented (``instrument=True``,
``Agent.instrument_all()``); the kit never instruments, so its own spans are the only ones.
"""

from __future__ import annotations

import time

from pydantic_ai import RunContext
from pydantic_ai.capabilities import Hooks
from pydantic_ai.messages import ModelResponse, PartDeltaEvent, PartStartEvent

from ..settings import Settings
from .events import AgentEvent, model_call


class ModelCalls:
    """One run's model requests, each reported once as a ``model_call``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started: float | None = None  # the request under way, if any
        self.first_token: float | None = None
        self.records: list[AgentEvent] = []

    def capability(self) -> Hooks:
        return Hooks(before_model_request=self._start, after_model_request=self._end)

    def saw(self, event: object) -> None:
        """Note the first streamed piece of the request under way."""
        waiting = self.started is not None and self.first_token is None
        if waiting and isinstance(event, (PartStartEvent, PartDeltaEvent)):
            self.first_token = time.time()

    def ended(self) -> list[AgentEvent]:
        """The records of the requests that ended since last asked."""
        records, self.records = self.records, []
        return records

    def failed(self) -> list[AgentEvent]:
        """The records so far, the request under way (if any) as failed."""
        if self.started is not None:
            self._record(error="provider_error")
        return self.ended()

    async def _start(self, ctx: RunContext, request_context: object) -> object:
        self.started, self.first_token = time.time(), None
        return request_context

    async def _end(
        self, ctx: RunContext, *, request_context: object, response: ModelResponse
    ) -> ModelResponse:
        usage = response.usage
        tokens = (usage.input_tokens, usage.output_tokens) if usage.has_values() else (None, None)
        self._record(_finish(response), *tokens)
        return response

    def _record(self, *outcome: object, error: str | None = None) -> None:
        model, provider = self.settings.agent_model, self.settings.llm_provider
        record = model_call(model, provider, self.started, self.first_token, *outcome, error=error)
        self.records.append(record)
        self.started = self.first_token = None


def _finish(response: ModelResponse) -> str:
    """The OpenAI finish_reason: ``tool_calls`` when it asked for tools, else Pydantic AI's own."""
    if response.tool_calls or response.finish_reason == "tool_call":
        return "tool_calls"
    return response.finish_reason or "stop"

"""Each model call of a run as the kit's ``model_call`` record: when it started, when its first
text or tool call piece came, why it stopped and the tokens its provider reported.

The runner hands the SDK its model wrapped in a ``RecordedModel``. The SDK asks it for one
streamed response per turn; the wrapper passes every event through as it comes and notes the
times, and the turn's ``response.completed`` (the SDK's normalised end of a response, whatever
the provider) says the rest: tool calls in its output (``tool_calls``), its ``incomplete_details``
(``length``, ``content_filter``) and its ``usage``. A call that raises is recorded with
``error="provider_error"`` before the error goes on. The runner ``take``s the records once the
SDK has streamed the turn's ``response.completed`` (or the run has ended), so each follows the
events of its call.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from agents import Model

from ..settings import Settings
from .events import AgentEvent, model_call

# Stream events that carry the reply's first output: text, a refusal, a piece of a tool call.
OUTPUT_EVENTS = frozenset(
    {
        "response.output_text.delta",
        "response.refusal.delta",
        "response.function_call_arguments.delta",
    }
)
INCOMPLETE = {"max_output_tokens": "length", "content_filter": "content_filter"}


def finish_reason(response: object, options: dict) -> str:
    """Why the model stopped, in OpenAI's terms: ``tool_calls`` when its output asks for tools,
    ``length`` when it was cut short by its token limit (said by ``incomplete_details``, or by a
    reply that used every token it was allowed: Chat Completions streams keep no finish reason,
    only usage), ``content_filter``, else ``stop``."""
    output = getattr(response, "output", None) or ()
    if any(getattr(item, "type", None) == "function_call" for item in output):
        return "tool_calls"
    details = getattr(response, "incomplete_details", None)
    if getattr(details, "reason", None) in INCOMPLETE:
        return INCOMPLETE[details.reason]
    limit = options.get("max_completion_tokens", options.get("max_tokens"))
    used = getattr(getattr(response, "usage", None), "output_tokens", None)
    if limit is not None and used is not None and used >= limit:
        return "length"
    return "stop"


class RecordedModel(Model):
    """``model``, with each call it makes recorded as a ``model_call`` until ``take``n."""

    def __init__(self, model: Model, settings: Settings, options: dict) -> None:
        self.model = model
        self.settings = settings
        self.options = options
        self.records: list[AgentEvent] = []

    def take(self) -> list[AgentEvent]:
        """The calls recorded since the last ``take``."""
        taken, self.records = self.records, []
        return taken

    def __getattr__(self, name: str) -> object:
        if name == "model":
            raise AttributeError(name)
        return getattr(self.model, name)  # what the SDK asks of a model beyond the interface

    def get_retry_advice(self, request):
        return self.model.get_retry_advice(request)

    async def close(self) -> None:
        await self.model.close()

    async def _cleanup_on_run_end(self, owner: object) -> None:
        await self.model._cleanup_on_run_end(owner)

    async def get_response(self, *args, **kwargs):
        started = time.time()
        try:
            response = await self.model.get_response(*args, **kwargs)
        except Exception:
            self.records.append(self._call(started, None, error="provider_error"))
            raise
        self.records.append(self._call(started, None, response))
        return response

    async def stream_response(self, *args, **kwargs) -> AsyncIterator:
        started, first_token = time.time(), None
        try:
            async for event in self.model.stream_response(*args, **kwargs):
                kind = getattr(event, "type", None)
                if first_token is None and _is_output(event, kind):
                    first_token = time.time()
                if kind == "response.completed":
                    if first_token is None and event.response.output:
                        first_token = time.time()  # a model that sends its whole turn at the end
                    self.records.append(self._call(started, first_token, event.response))
                yield event
        except Exception:
            self.records.append(self._call(started, first_token, error="provider_error"))
            raise

    def _call(
        self, started: float, first_token: float | None, response=None, error: str | None = None
    ) -> AgentEvent:
        usage = getattr(response, "usage", None)
        return model_call(
            self.settings.agent_model,
            self.settings.llm_provider,
            started,
            first_token,
            finish_reason(response, self.options) if response is not None else None,
            getattr(usage, "input_tokens", None),
            getattr(usage, "output_tokens", None),
            error,
        )


def _is_output(event: object, kind: str | None) -> bool:
    if kind in OUTPUT_EVENTS:
        return True
    return kind == "response.output_item.added" and getattr(event.item, "type", None) == "function_call"

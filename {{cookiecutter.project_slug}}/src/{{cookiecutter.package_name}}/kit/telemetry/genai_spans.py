"""One agent run as OpenTelemetry spans, named and described by the GenAI semantic conventions:
``invoke_agent <agent>`` around the run, a ``chat <model>`` span per model call and an
``execute_tool <tool>`` span per tool call inside it.

Made from the run's events (``run_observer``), so every agent framework gets the same spans.
Message and tool contents are recorded only when the operator opts in
(``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true``).
"""

from __future__ import annotations

import json

from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags

from ..agent.provider_settings import GEN_AI_PROVIDERS
from ..settings import Settings
from . import tracing
from .trace_context import Parent


def _ns(seconds: float) -> int:
    return int(seconds * 1e9)


class RunSpans:
    """The spans of one run, started and ended as its events arrive."""

    def __init__(self, settings: Settings, parent: Parent | None, started: float) -> None:
        self._tracer = tracing.tracer(settings)
        self._content = settings.trace_content
        self._provider = GEN_AI_PROVIDERS.get(settings.llm_provider, settings.llm_provider)
        agent = settings.service_name
        self.span = self._tracer.start_span(
            f"invoke_agent {agent}",
            context=remote_context(parent),
            kind=SpanKind.INTERNAL,
            start_time=_ns(started),
            attributes={
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.agent.name": agent,
                "gen_ai.provider.name": self._provider,
                "gen_ai.request.model": settings.agent_model,
            },
        )
        self._inside = trace.set_span_in_context(self.span)
        self._tools: dict[str, trace.Span] = {}

    def ids(self) -> dict[str, str]:
        """The trace and span ids, as log lines carry them."""
        context = self.span.get_span_context()
        return {"trace_id": f"{context.trace_id:032x}", "span_id": f"{context.span_id:016x}"}

    def model_call(self, call: dict, ended: float) -> None:
        attributes = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": GEN_AI_PROVIDERS.get(call["provider"], call["provider"]),
            "gen_ai.request.model": call["model"],
        }
        if call["finish_reason"]:
            attributes["gen_ai.response.finish_reasons"] = (call["finish_reason"],)
        for name in ("input_tokens", "output_tokens"):
            if call[name] is not None:
                attributes[f"gen_ai.usage.{name}"] = call[name]
        span = self._tracer.start_span(
            f"chat {call['model']}",
            context=self._inside,
            kind=SpanKind.CLIENT,
            start_time=_ns(call["started"]),
            attributes=attributes,
        )
        if call["error"]:
            _failed(span, call["error"])
        span.end(end_time=_ns(ended))

    def tool_started(self, call: dict, at: float) -> None:
        attributes = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": call["name"],
            "gen_ai.tool.call.id": call["id"],
            "gen_ai.tool.type": "function",
        }
        if self._content:
            attributes["gen_ai.tool.call.arguments"] = _text(call["arguments"])
        self._tools[call["id"]] = self._tracer.start_span(
            f"execute_tool {call['name']}",
            context=self._inside,
            kind=SpanKind.INTERNAL,
            start_time=_ns(at),
            attributes=attributes,
        )

    def tool_ended(self, outcome: dict, at: float) -> None:
        span = self._tools.pop(outcome["id"], None)
        if span is None:
            return
        if "error" in outcome:
            _failed(span, "tool_error", outcome["error"])
        elif self._content:
            span.set_attribute("gen_ai.tool.call.result", _text(outcome["output"]))
        span.end(end_time=_ns(at))

    def tool_forgotten(self, outcome: dict) -> None:
        self._tools.pop(outcome["id"], None)  # never ended, so never exported

    def end(self, outcome: dict | None, at: float, suspended: bool = False) -> None:
        """The run is over: ``outcome`` is its ``result`` or ``error`` payload (None: stopped,
        or ``suspended`` until a later invocation)."""
        for span in self._tools.values():  # the run stopped while they ran
            _failed(span, "cancelled")
            span.end(end_time=_ns(at))
        if suspended:
            self.span.set_attribute("agent.run.suspended", True)
        elif outcome is None:
            _failed(self.span, "cancelled")
        elif "code" in outcome:
            _failed(self.span, outcome["code"], outcome.get("message"))
        elif self._content:
            self.span.set_attribute("gen_ai.output.messages", _text(outcome.get("text", "")))
        self.span.end(end_time=_ns(at))


def remote_context(parent: Parent | None):
    if parent is None:
        return None
    flags = TraceFlags(TraceFlags.SAMPLED if parent.sampled else TraceFlags.DEFAULT)
    context = SpanContext(int(parent.trace_id, 16), int(parent.span_id, 16), True, flags)
    return trace.set_span_in_context(NonRecordingSpan(context))


def _failed(span: trace.Span, error_type: str, message: str | None = None) -> None:
    span.set_attribute("error.type", error_type)
    span.set_status(Status(StatusCode.ERROR, message))


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)

"""Reports agent runs: an EMF metrics line (``run_metrics``) and, when tracing is on, the run's
GenAI spans (``genai_spans``), exported before the run's last event leaves (a frozen Lambda
would never send them).

``observe`` reports a run from its events; a run made of checkpointed steps reports the steps it
really runs through a ``RunReport`` of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from .. import logs
from ..agent.events import AgentEvent
from ..settings import Settings
from . import emf, trace_context, tracing
from .run_metrics import RunMetrics


class RunReport:
    """One run's metrics and spans, reported once by ``end``."""

    def __init__(self, settings: Settings, parent: trace_context.Parent | None = None) -> None:
        self.settings = settings
        self.metrics = RunMetrics(time.time())
        self.spans = None
        self.done = False
        if tracing.enabled(settings):
            from .genai_spans import RunSpans

            self.spans = RunSpans(settings, parent or trace_context.current(), self.metrics.started)
            logs.bind(**self.spans.ids())

    def model_call(self, call: dict, ended: float) -> None:
        self.metrics.model_call(call, ended)
        if self.spans:
            self.spans.model_call(call, ended)

    def tool_started(self, call: dict, at: float) -> None:
        if self.spans:
            self.spans.tool_started(call, at)

    def tool_ended(self, outcome: dict, at: float) -> None:
        self.metrics.tool_ended(outcome)
        if self.spans:
            self.spans.tool_ended(outcome, at)

    def tool_forgotten(self, outcome: dict) -> None:
        """A call that started but is not this invocation's to report: its span is dropped."""
        if self.spans:
            self.spans.tool_forgotten(outcome)

    def end(self, outcome: dict | None, suspended: bool = False) -> None:
        """``outcome``: the ``result`` or ``error`` payload; None when the run was stopped, or
        ``suspended`` (the run waits, to go on in a later invocation)."""
        if self.done:
            return
        self.done = True
        properties = logs.correlation()
        if self.spans:
            self.spans.end(outcome, time.time(), suspended)
            logs.unbind("trace_id", "span_id")
            tracing.flush()
        if self.settings.metrics:  # a suspended run reports what this invocation did
            emf.write(self.metrics.document(self.settings, outcome, properties, suspended))


def observe(
    events: Iterator[AgentEvent],
    settings: Settings,
    suspends: Callable[[BaseException], bool] = lambda problem: False,
    replayed: Callable[[AgentEvent], bool] = lambda event: False,
) -> Iterator[AgentEvent]:
    """The run's events as they come, less the kit's own ``model_call`` records.

    For a run that spans invocations: ``suspends`` tells an exception that suspends the run (a
    wait) from a failure, and ``replayed`` a call that ran in an earlier invocation, which
    reported it.
    """
    report = RunReport(settings)
    outcome = None
    try:
        for event in events:
            if event.type == "model_call":
                if not replayed(event):
                    report.model_call(event.payload, event.timestamp)
                continue
            if event.type == "tool_call":
                report.tool_started(event.payload, event.timestamp)
            elif event.type == "tool_result":
                if replayed(event):
                    report.tool_forgotten(event.payload)
                else:
                    report.tool_ended(event.payload, event.timestamp)
            elif event.type in ("result", "error"):
                outcome = event.payload
                report.end(outcome)  # before the last event leaves: the stream ends after it
            yield event
    except BaseException as problem:
        report.end(None, suspended=suspends(problem))
        raise
    finally:
        events.close()  # the caller stopped reading: so does the run, and its running tool
        report.end(outcome)

"""A run's trace drawn on stderr, for local work without any tracing backend.

``OTEL_TRACES_EXPORTER=timeline make dev`` draws every run as it ends::

    invoke_agent agent         |████████████████████████████████████████| 1.53 s
      chat echo                |█                                       |    2 ms
      execute_tool slow_process| ██████████████████████████████████████ | 1.51 s  call_1
      chat echo                |                                       █|    1 ms

One line per span, indented under its parent, its bar placed on the run's time; ``!`` marks
a span that failed, with its ``error.type``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import StatusCode

WIDTH = 40


class TimelineExporter(SpanExporter):
    def __init__(self, stream=None) -> None:
        self._stream = stream

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        stream = self._stream or sys.stderr
        for trace_spans in _by_trace(spans):
            stream.write(draw(trace_spans) + "\n")
        stream.flush()
        return SpanExportResult.SUCCESS


def _by_trace(spans: Sequence[ReadableSpan]) -> list[list[ReadableSpan]]:
    traces: dict[int, list[ReadableSpan]] = {}
    for span in spans:
        traces.setdefault(span.context.trace_id, []).append(span)
    return list(traces.values())


def draw(spans: Sequence[ReadableSpan]) -> str:
    """The spans of one trace as a waterfall, parents before children, each in start order."""
    ids = {span.context.span_id for span in spans}
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in sorted(spans, key=lambda s: s.start_time):
        parent = span.parent.span_id if span.parent and span.parent.span_id in ids else None
        children.setdefault(parent, []).append(span)
    start = min(span.start_time for span in spans)
    total = max(max(span.end_time for span in spans) - start, 1)
    rows: list[tuple[str, ReadableSpan]] = []

    def visit(parent: int | None, depth: int) -> None:
        for span in children.get(parent, ()):
            rows.append(("  " * depth + span.name, span))
            visit(span.context.span_id, depth + 1)

    visit(None, 0)
    label_width = max(len(label) for label, _ in rows)
    return "\n".join(_row(label.ljust(label_width), span, start, total) for label, span in rows)


def _row(label: str, span: ReadableSpan, start: int, total: int) -> str:
    first = min(int((span.start_time - start) / total * WIDTH), WIDTH - 1)
    last = max(first + 1, round((span.end_time - start) / total * WIDTH))
    bar = " " * first + "█" * (last - first) + " " * (WIDTH - last)
    attributes = span.attributes or {}
    notes = [str(attributes[key]) for key in ("gen_ai.tool.call.id",) if key in attributes]
    tokens = [attributes.get("gen_ai.usage.input_tokens"), attributes.get("gen_ai.usage.output_tokens")]
    if tokens != [None, None]:
        notes.append(f"{tokens[0]} in / {tokens[1]} out tokens")
    if span.status.status_code is StatusCode.ERROR:
        notes.append(f"! {attributes.get('error.type', 'error')}")
    return f"{label}|{bar}|{_duration(span.end_time - span.start_time):>8}  {'  '.join(notes)}".rstrip()


def _duration(nanoseconds: int) -> str:
    milliseconds = nanoseconds / 1e6
    return f"{milliseconds / 1000:.2f} s" if milliseconds >= 1000 else f"{milliseconds:.0f} ms"

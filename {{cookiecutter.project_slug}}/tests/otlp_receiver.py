"""A local OTLP/HTTP receiver: what a collector on ``/v1/traces`` would get, decoded with the
OpenTelemetry protocol's own protobuf classes."""

from __future__ import annotations

from http_stub import HttpStub, Reply
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


class OtlpReceiver(HttpStub):
    def __init__(self) -> None:
        super().__init__(self._answer)

    @property
    def endpoint(self) -> str:
        return f"{self.url}/v1/traces"

    def _answer(self, request: dict, reply: Reply) -> None:
        reply.send(200, b"", "application/x-protobuf")

    def spans(self) -> list[dict]:
        """Every span received so far: name, kind, ids (hex), attributes and status."""
        received = []
        with self.lock:
            bodies = [r["data"] for r in self.requests if r["path"] == "/v1/traces"]
        for body in bodies:
            export = ExportTraceServiceRequest.FromString(body)
            for resource_spans in export.resource_spans:
                resource = _attributes(resource_spans.resource.attributes)
                for scope_spans in resource_spans.scope_spans:
                    received.extend(_span(span, resource) for span in scope_spans.spans)
        return received


def _span(span, resource: dict) -> dict:
    return {
        "name": span.name,
        "kind": span.kind,
        "trace_id": span.trace_id.hex(),
        "span_id": span.span_id.hex(),
        "parent_id": span.parent_span_id.hex(),
        "attributes": _attributes(span.attributes),
        "status": span.status.code,
        "resource": resource,
    }


def _attributes(attributes) -> dict:
    values = {}
    for attribute in attributes:
        value = attribute.value
        kind = value.WhichOneof("value")
        if kind == "array_value":
            values[attribute.key] = [getattr(v, v.WhichOneof("value")) for v in value.array_value.values]
        else:
            values[attribute.key] = getattr(value, kind)
    return values

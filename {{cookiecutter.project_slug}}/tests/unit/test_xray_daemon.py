"""Spans reach the X-Ray daemon of a traced function as the AWS Distro for OpenTelemetry sends
them: a JSON header line, ``T1S`` and the base64 OTLP protobuf, one UDP datagram each."""

import base64
import json
import socket

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult

from {{ cookiecutter.package_name }}.kit.telemetry.xray_daemon import (
    MAX_DATAGRAM,
    XRayDaemonExporter,
)


@pytest.fixture
def daemon():
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    yield listener
    listener.close()


def received(listener: socket.socket) -> list[str]:
    """The span names in one datagram, after checking its framing."""
    data, _ = listener.recvfrom(65_535)
    header, _, body = data.partition(b"\n")
    assert json.loads(header) == {"format": "json", "version": 1}
    assert body.startswith(b"T1S") and len(data) <= MAX_DATAGRAM
    export = ExportTraceServiceRequest.FromString(base64.b64decode(body[3:]))
    return [span.name for rs in export.resource_spans for ss in rs.scope_spans for span in ss.spans]


def test_the_daemon_address_comes_from_lambda(daemon, environment):
    environment.setenv("AWS_XRAY_DAEMON_ADDRESS", f"127.0.0.1:{daemon.getsockname()[1]}")
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(XRayDaemonExporter()))
    provider.get_tracer("test").start_span("execute_tool echo").end()
    assert received(daemon) == ["execute_tool echo"]


def test_a_batch_too_big_for_one_datagram_is_split(daemon):
    provider = TracerProvider()
    tracer = provider.get_tracer("test")
    spans = []
    for number in range(60):
        span = tracer.start_span(f"chat {number}", attributes={"padding": "x" * 2000})
        span.end()
        spans.append(span)
    exporter = XRayDaemonExporter(f"127.0.0.1:{daemon.getsockname()[1]}")
    assert exporter.export(spans) is SpanExportResult.SUCCESS
    names = []
    while len(names) < len(spans):
        names.extend(received(daemon))
    assert sorted(names) == sorted(f"chat {number}" for number in range(60))

"""Spans to AWS X-Ray through the daemon Lambda runs beside a function with active tracing.

The daemon listens on UDP (``AWS_XRAY_DAEMON_ADDRESS``) and accepts OTLP spans in the form
the AWS Distro for OpenTelemetry sends them: a JSON header line, then ``T1S`` and the
base64 OTLP protobuf. UDP needs no credentials and no network path out of the function,
and a send takes microseconds. X-Ray keeps these spans once CloudWatch Transaction Search
is on for the account.
"""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Sequence

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

HEADER = b'{"format":"json","version":1}\n'
SAMPLED_SPANS = b"T1S"
MAX_DATAGRAM = 64_000  # a UDP datagram holds 65,507 bytes; a batch that would not fit is split


class XRayDaemonExporter(SpanExporter):
    def __init__(self, address: str | None = None) -> None:
        address = address or os.environ.get("AWS_XRAY_DAEMON_ADDRESS") or "127.0.0.1:2000"
        host, _, port = address.rpartition(":")
        self._address = (host, int(port))
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        try:
            for datagram in self._datagrams(list(spans)):
                self._socket.sendto(datagram, self._address)
        except OSError:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def _datagrams(self, spans: list[ReadableSpan]) -> list[bytes]:
        datagram = HEADER + SAMPLED_SPANS + base64.b64encode(encode_spans(spans).SerializeToString())
        if len(datagram) <= MAX_DATAGRAM or len(spans) == 1:
            return [datagram]  # a single span too big for one is refused by the socket: a failure
        half = len(spans) // 2
        return self._datagrams(spans[:half]) + self._datagrams(spans[half:])

    def shutdown(self) -> None:
        self._socket.close()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
